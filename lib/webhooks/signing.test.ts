import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { DecryptionError, parseKeyRing } from "@/lib/crypto/encryption";
import { generateSigningSecret, openSigningSecret, sealSigningSecret, signWebhook } from "./signing";

const keyRing = parseKeyRing(`test:${randomBytes(32).toString("base64")}`);

describe("Standard Webhooks signing", () => {
  const body = '{"type":"secret.issued","timestamp":"2026-11-29T09:00:00.000Z","data":{}}';

  it("makes whsec_ secrets of 32 random bytes, each different", () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it("signs so that the standardwebhooks library verifies, with the event id and the signing time", () => {
    const secret = generateSigningSecret();
    const now = new Date();
    const headers = signWebhook("evt-1", body, [secret], now);
    expect(headers["webhook-id"]).toBe("evt-1");
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it("carries one signature per secret during a rotation, each verifying with its own secret only", () => {
    const [next, old, stranger] = [generateSigningSecret(), generateSigningSecret(), generateSigningSecret()];
    const headers = signWebhook("evt-2", body, [next, old], new Date());
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(next).verify(body, { ...headers })).toBeTruthy();
    expect(new Webhook(old).verify(body, { ...headers })).toBeTruthy();
    expect(() => new Webhook(stranger).verify(body, { ...headers })).toThrow();
    // A changed body or id fails.
    expect(() => new Webhook(next).verify(body.replace("issued", "revoked"), { ...headers })).toThrow();
    expect(() => new Webhook(next).verify(body, { ...headers, "webhook-id": "evt-3" })).toThrow();
  });

  it("refuses to sign with no secret", () => {
    expect(() => signWebhook("evt-4", body, [], new Date())).toThrow("an endpoint has no signing secret");
  });

  it("keeps a secret encrypted, bound to its row, with its last four characters for display", () => {
    const secret = generateSigningSecret();
    const sealed = sealSigningSecret(secret, keyRing);
    expect(sealed.ciphertext).not.toContain(secret.slice(6, 20));
    expect(sealed.maskedTail).toBe(secret.slice(-4));
    expect(openSigningSecret(sealed, keyRing)).toBe(secret);
    // Moved to another row, it does not open.
    expect(() => openSigningSecret({ ...sealed, id: sealSigningSecret(secret, keyRing).id }, keyRing)).toThrow(DecryptionError);
  });
});
