import { describe, expect, it } from "vitest";
import { jsonResponse, OAuthError, oauthDescriptionText, oauthErrorResponse, throttled, unexpectedErrorResponse } from "./errors";

const JSON_HEADERS = { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store", pragma: "no-cache" };
const BASIC_CHALLENGE = 'Basic realm="oauth", charset="UTF-8"';

async function whole(response: Response) {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.json() };
}

describe("OAuth error responses (RFC 6749 5.2)", () => {
  it("answer invalid_client with 401, server_error with 500 and every other error with 400", () => {
    expect(new OAuthError("invalid_client", "x").status).toBe(401);
    expect(new OAuthError("server_error", "x").status).toBe(500);
    expect(new OAuthError("invalid_request", "x").status).toBe(400);
    expect(new OAuthError("invalid_scope", "x").status).toBe(400);
    // Logs name an error by its class (lib/error-summary.ts).
    expect(new OAuthError("invalid_scope", "x").name).toBe("OAuthError");
  });

  it("carry the error and its description as JSON, never cached", async () => {
    expect(await whole(oauthErrorResponse(new OAuthError("invalid_scope", "The scope x is not known."), false))).toEqual({
      status: 400,
      headers: JSON_HEADERS,
      body: { error: "invalid_scope", error_description: "The scope x is not known." },
    });
  });

  it("challenge with Basic on invalid_client when the client used Basic, or when asked to", async () => {
    const failed = new OAuthError("invalid_client", "Client authentication failed.");
    expect(await whole(oauthErrorResponse(failed, true))).toEqual({
      status: 401,
      headers: { ...JSON_HEADERS, "www-authenticate": BASIC_CHALLENGE },
      body: { error: "invalid_client", error_description: "Client authentication failed." },
    });
    expect(oauthErrorResponse(failed, false).headers.get("www-authenticate")).toBeNull();
    const unauthenticated = new OAuthError("invalid_client", "Client authentication failed.", 401, true);
    expect(oauthErrorResponse(unauthenticated, false).headers.get("www-authenticate")).toBe(BASIC_CHALLENGE);
  });

  it("never challenge for an error other than invalid_client", () => {
    expect(oauthErrorResponse(new OAuthError("invalid_request", "x", 400, true), true).headers.get("www-authenticate")).toBeNull();
  });

  it("tell a throttled caller when to come back, with 429 and Retry-After", async () => {
    expect(await whole(oauthErrorResponse(throttled(42), false))).toEqual({
      status: 429,
      headers: { ...JSON_HEADERS, "retry-after": "42" },
      body: { error: "temporarily_unavailable", error_description: "Too many failed client authentications; try again in 42 seconds." },
    });
  });

  it("add the extra headers asked for", () => {
    expect(oauthErrorResponse(new OAuthError("invalid_request", "x"), false, { "X-Extra": "1" }).headers.get("x-extra")).toBe("1");
  });
});

describe("an unexpected error in an endpoint", () => {
  it("is logged by its class only and answered 503 with Retry-After", async () => {
    const lines: string[] = [];
    const response = unexpectedErrorResponse(new TypeError("secret detail"), "token endpoint", (line) => lines.push(line));
    expect(await whole(response)).toEqual({
      status: 503,
      headers: { ...JSON_HEADERS, "retry-after": "1" },
      body: { error: "server_error", error_description: "The server could not answer just now; try again." },
    });
    expect(lines).toEqual(["token endpoint: unexpected TypeError"]);
  });

  it("is invalid_request when the database refused a value from the request (SQLSTATE class 22)", async () => {
    const refused = Object.assign(new Error("invalid byte sequence"), { code: "22021" });
    expect(await whole(unexpectedErrorResponse(refused, "token endpoint", () => undefined))).toEqual({
      status: 400,
      headers: JSON_HEADERS,
      body: {
        error: "invalid_request",
        error_description: "A parameter holds a value that cannot be processed; remove any control characters.",
      },
    });
  });
});

describe("a JSON answer", () => {
  it("is 200 and never cached unless told otherwise", async () => {
    expect(await whole(jsonResponse({ active: false }))).toEqual({ status: 200, headers: JSON_HEADERS, body: { active: false } });
    expect((await whole(jsonResponse({}, 201, { Location: "/x" }))).headers).toEqual({ ...JSON_HEADERS, location: "/x" });
  });
});

describe("error_description stays within RFC 6749 5.2's characters (%x20-21 / %x23-5B / %x5D-7E)", () => {
  it("turns a quote, a backslash, control and non-ASCII characters into safe look-alikes", () => {
    expect(oauthDescriptionText('kid "a\\b" \u00e9\u0007\n ok')).toBe("kid 'a/b' ??? ok");
  });

  it("applies to every OAuthError, so nothing a caller sent can break it", () => {
    let every = "";
    for (let c = 0; c < 0x250; c++) every += String.fromCharCode(c);
    const { description } = new OAuthError("invalid_request", every);
    expect(description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
    expect(description).toHaveLength(every.length);
  });
});
