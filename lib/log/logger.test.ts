import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { generateClientSecret } from "@/lib/crypto/client-secret";
import { createLogger, redactFields, scrubMessage } from "./logger";
import { requestIdFrom, withRequestId } from "./request-context";

/** A logger writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "debug", destination }) };
}

const JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJlLWJ5dGVz";

describe("the logger (docs/observability.md)", () => {
  it("writes one JSON object per line with a named level, an ISO time and the message", () => {
    const { lines, logger } = capture();
    logger.info({ port: 3000 }, "listening");
    expect(lines).toEqual([
      expect.objectContaining({ level: "info", msg: "listening", port: 3000, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);
  });

  it("censors fields named like a secret at the top level and two levels down", () => {
    const { lines, logger } = capture();
    logger.warn(
      {
        authorization: "Basic sentinel-1",
        client_secret: "sentinel-2",
        headers: { cookie: "authjs.session-token=sentinel-3", "set-cookie": "sentinel-4" },
        request: {
          body: {
            client_assertion: JWT,
            password: "sentinel-5",
            token: "sentinel-6",
            value: "sentinel-7",
            link: "https://x/?token=sentinel-8",
          },
        },
        jwk: {
          kty: "RSA",
          n: "public",
          d: "sentinel-9",
          p: "sentinel-10",
          q: "sentinel-11",
          dp: "sentinel-12",
          dq: "sentinel-13",
          qi: "sentinel-14",
        },
        clientId: "cid_kept",
      },
      "refused",
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain("sentinel");
    expect(text).not.toContain(JWT);
    expect(text).toContain("cid_kept");
    expect(text).toContain('"n":"public"');
    expect(lines[0]).toMatchObject({ authorization: "[redacted]", headers: { cookie: "[redacted]" }, jwk: { d: "[redacted]" } });
  });

  it("leaves a line without such fields as it is (no copy), and looks inside lists too", () => {
    const line = { method: "POST", path: "/oauth/token", status: 200, nested: { list: [1, 2] } };
    expect(redactFields(line)).toBe(line);
    const withList = { keys: [{ kid: "k1", d: "sentinel" }] };
    expect(redactFields(withList)).toEqual({ keys: [{ kid: "k1", d: "[redacted]" }] });
    expect(withList.keys[0]?.d).toBe("sentinel");
  });

  it("replaces a Rotor secret, a personal API token or a JWT inside a message, and keeps the rest of it", () => {
    const secret = generateClientSecret();
    expect(scrubMessage(`wrong ${secret} for client cid_1`)).toBe("wrong [redacted] for client cid_1");
    expect(scrubMessage(`bearer rtr_pat_${"A".repeat(40)} refused`)).toBe("bearer [redacted] refused");
    expect(scrubMessage(`assertion ${JWT} replayed`)).toBe("assertion [redacted] replayed");
    const { lines, logger } = capture();
    logger.error(`saw ${secret} and ${JWT}`);
    expect(lines[0]?.msg).toBe("saw [redacted] and [redacted]");
  });

  it("adds the request id to every line written while a request is served, and none outside one", async () => {
    const { lines, logger } = capture();
    await withRequestId("req-1", async () => {
      await Promise.resolve();
      logger.info("inside");
    });
    logger.info("outside");
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ["inside", "req-1"],
      ["outside", undefined],
    ]);
  });

  it("accepts a caller's request id only when it is 1 to 64 safe characters", () => {
    for (const good of ["a", "lb-01:2.3_x", "A".repeat(64)]) expect(requestIdFrom(good)).toBe(good);
    for (const bad of [undefined, null, "", "A".repeat(65), "a b", "a\nb", "<x>", ["a", "b"]]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
