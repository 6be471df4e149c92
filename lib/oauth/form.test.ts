import { describe, expect, it } from "vitest";
import { MAX_FORM_BYTES } from "./constants";
import { OAuthError, oauthErrorResponse } from "./errors";
import { type Form, readForm, required } from "./form";

const FORM = "application/x-www-form-urlencoded";
const post = (body: BodyInit | null, headers: Record<string, string> = { "content-type": FORM }) =>
  new Request("https://ext.auth.example/oauth/token", { method: "POST", body, headers, duplex: "half" } as RequestInit);

/** The whole RFC 6749 5.2 answer for what `run` throws. */
async function refusal(run: () => Promise<unknown> | unknown): Promise<{ status: number; body: unknown }> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof OAuthError)) throw new Error(`expected an OAuthError, got ${String(thrown)}`);
  const response = oauthErrorResponse(thrown, false);
  return { status: response.status, body: await response.json() };
}
const invalidRequest = (description: string, status = 400) => ({
  status,
  body: { error: "invalid_request", error_description: description },
});

describe("reading the token request's form (RFC 6749 4.4.2, 3.2)", () => {
  it("decodes each parameter, + as a space and percent-escapes, a name without = as empty", async () => {
    const form = await readForm(post("grant_type=client_credentials&scope=a+b%20c&&flag&client_id=c%2B1"));
    expect([...form]).toEqual([
      ["grant_type", "client_credentials"],
      ["scope", "a b c"],
      ["flag", ""],
      ["client_id", "c+1"],
    ]);
  });

  it("accepts the form content type in any case and with parameters", async () => {
    expect((await readForm(post("a=1", { "content-type": "Application/X-WWW-Form-Urlencoded; charset=UTF-8" }))).get("a")).toBe("1");
    expect((await readForm(post("a=1", { "content-type": ` ${FORM} ` }))).get("a")).toBe("1");
  });

  it("accepts spaces before the content type's parameters", async () => {
    expect((await readForm(post("a=1", { "content-type": `${FORM} ; charset=UTF-8` }))).get("a")).toBe("1");
  });

  it("reads bytes that are not UTF-8 as U+FFFD rather than refusing the body", async () => {
    expect((await readForm(post(new Uint8Array([0x61, 0x3d, 0xff])))).get("a")).toBe("\uFFFD");
  });

  it("refuses any other content type, or none", async () => {
    const expected = invalidRequest("Send the parameters form-encoded, with Content-Type: application/x-www-form-urlencoded.");
    expect(await refusal(() => readForm(post('{"a":1}', { "content-type": "application/json" })))).toEqual(expected);
    expect(await refusal(() => readForm(post("a=1", { "content-type": `${FORM}x` })))).toEqual(expected);
    expect(await refusal(() => readForm(post("a=1", { "content-type": `text/plain; x=${FORM}` })))).toEqual(expected);
    expect(await refusal(() => readForm(new Request("https://ext.auth.example/oauth/token", { method: "POST" })))).toEqual(expected);
  });

  it("reads an empty body as no parameters", async () => {
    expect((await readForm(post(null))).size).toBe(0);
    expect((await readForm(post(""))).size).toBe(0);
  });

  it("refuses a parameter sent twice (RFC 6749 3.2)", async () => {
    expect(await refusal(() => readForm(post("scope=a&scope=b")))).toEqual(invalidRequest("The parameter scope appears more than once."));
    const name = "n".repeat(50);
    expect(await refusal(() => readForm(post(`${name}=1&${name}=2`)))).toEqual(
      invalidRequest(`The parameter ${"n".repeat(40)} appears more than once.`),
    );
  });

  it("refuses malformed percent-encoding", async () => {
    expect(await refusal(() => readForm(post("a=%E0%A4%A")))).toEqual(invalidRequest("The body has malformed percent-encoding."));
  });

  it("takes a body of exactly the limit, and refuses one byte more with 413, declared or not", async () => {
    const atLimit = `a=${"x".repeat(MAX_FORM_BYTES - 2)}`;
    expect((await readForm(post(atLimit))).get("a")).toHaveLength(MAX_FORM_BYTES - 2);
    expect((await readForm(post(atLimit, { "content-type": FORM, "content-length": String(MAX_FORM_BYTES) }))).size).toBe(1);
    const tooLarge = invalidRequest(`The request body is larger than ${MAX_FORM_BYTES} bytes.`, 413);
    expect(await refusal(() => readForm(post(`${atLimit}x`)))).toEqual(tooLarge);
    expect(await refusal(() => readForm(post("a=1", { "content-type": FORM, "content-length": String(MAX_FORM_BYTES + 1) })))).toEqual(
      tooLarge,
    );
  });

  it("counts every chunk of a streamed body against the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(MAX_FORM_BYTES / 2));
    const stream = (chunks: Uint8Array[]) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const c of chunks) controller.enqueue(c);
          controller.close();
        },
      });
    const twoHalves = await readForm(post(stream([new TextEncoder().encode("a="), chunk.subarray(2), chunk])));
    expect(twoHalves.get("a")).toHaveLength(MAX_FORM_BYTES - 2);
    expect(await refusal(() => readForm(post(stream([chunk, chunk, new Uint8Array([120])]))))).toEqual(
      invalidRequest(`The request body is larger than ${MAX_FORM_BYTES} bytes.`, 413),
    );
  });

  it("answers a body that cannot be read with invalid_request", async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    });
    expect(await refusal(() => readForm(post(failing)))).toEqual(invalidRequest("The request body could not be read."));
  });
});

describe("a required parameter", () => {
  const form: Form = new Map([
    ["grant_type", "client_credentials"],
    ["scope", ""],
  ]);

  it("is returned when present", () => {
    expect(required(form, "grant_type")).toBe("client_credentials");
  });

  it("is missing when absent or empty", async () => {
    expect(await refusal(() => required(form, "scope"))).toEqual(invalidRequest("The scope parameter is missing."));
    expect(await refusal(() => required(form, "client_id"))).toEqual(invalidRequest("The client_id parameter is missing."));
  });
});
