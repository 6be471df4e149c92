import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decrypt, encrypt, parseKeyRing } from "./encryption";

const key = () => randomBytes(32).toString("base64");

describe("encryption at rest under the deployment's key ring", () => {
  it("round-trips a value and names the key that sealed it", () => {
    const ring = parseKeyRing(`k2026:${key()}`);
    const sealed = encrypt("rtr_cs_example", ring);
    expect(sealed.keyId).toBe("k2026");
    expect(sealed.ciphertext).not.toContain("rtr_cs_example");
    expect(decrypt(sealed.ciphertext, sealed.keyId, ring)).toBe("rtr_cs_example");
  });

  it("still decrypts values sealed under an older key after the deployment key rotates", () => {
    const oldKey = key();
    const before = parseKeyRing(`old:${oldKey}`);
    const sealed = encrypt("value", before);
    const after = parseKeyRing(`new:${key()},old:${oldKey}`);
    expect(after.current.id).toBe("new");
    expect(decrypt(sealed.ciphertext, "old", after)).toBe("value");
  });

  it("refuses a tampered ciphertext or the wrong key id", () => {
    const ring = parseKeyRing(`a:${key()},b:${key()}`);
    const sealed = encrypt("value", ring);
    const raw = Buffer.from(sealed.ciphertext, "base64url");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => decrypt(raw.toString("base64url"), "a", ring)).toThrow();
    expect(() => decrypt(sealed.ciphertext, "b", ring)).toThrow();
    expect(() => decrypt(sealed.ciphertext, "zzz", ring)).toThrow(/No encryption key "zzz"/);
  });

  it("explains a malformed key ring", () => {
    expect(() => parseKeyRing("nocolon")).toThrow(/kid:base64key/);
    expect(() => parseKeyRing(`a:${Buffer.alloc(16).toString("base64")}`)).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`a:${key()},a:${key()}`)).toThrow(/twice/);
  });
});
