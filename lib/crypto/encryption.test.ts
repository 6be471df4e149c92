import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type CipherContext, DecryptionError, decrypt, encrypt, isLegacyCiphertext, parseKeyRing } from "./encryption";
import { legacyEncrypt } from "./testing";

const key = () => randomBytes(32).toString("base64");
const at: CipherContext = { table: "client_secret", column: "ciphertext", row: "11111111-1111-4111-8111-111111111111" };

describe("encryption at rest under the deployment's key ring", () => {
  it("round-trips a value and names the key that sealed it", () => {
    const ring = parseKeyRing(`k2026:${key()}`);
    const sealed = encrypt("rtr_cs_example", ring, at);
    expect(sealed.keyId).toBe("k2026");
    expect(sealed.ciphertext).not.toContain("rtr_cs_example");
    expect(sealed.ciphertext).toMatch(/^v2\.[A-Za-z0-9_-]+$/);
    expect(isLegacyCiphertext(sealed.ciphertext)).toBe(false);
    expect(decrypt(sealed.ciphertext, sealed.keyId, ring, at)).toBe("rtr_cs_example");
  });

  it("still decrypts values sealed under an older key after the deployment key rotates", () => {
    const oldKey = key();
    const before = parseKeyRing(`old:${oldKey}`);
    const sealed = encrypt("value", before, at);
    const after = parseKeyRing(`new:${key()},old:${oldKey}`);
    expect(after.current.id).toBe("new");
    expect(decrypt(sealed.ciphertext, "old", after, at)).toBe("value");
  });

  it("refuses a tampered ciphertext or the wrong key id", () => {
    const ring = parseKeyRing(`a:${key()},b:${key()}`);
    const sealed = encrypt("value", ring, at);
    const raw = Buffer.from(sealed.ciphertext.slice(3), "base64url");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => decrypt(`v2.${raw.toString("base64url")}`, "a", ring, at)).toThrow(DecryptionError);
    expect(() => decrypt(sealed.ciphertext, "b", ring, at)).toThrow(DecryptionError);
    expect(() => decrypt(sealed.ciphertext, "zzz", ring, at)).toThrow(/No encryption key "zzz"/);
  });

  it("binds a value to its table, column and row: copied anywhere else it does not decrypt", () => {
    const ring = parseKeyRing(`a:${key()}`);
    const sealed = encrypt("value", ring, at);
    const elsewhere: CipherContext[] = [
      { ...at, row: "22222222-2222-4222-8222-222222222222" },
      { ...at, column: "other" },
      { ...at, table: "signing_key" },
    ];
    for (const context of elsewhere) {
      expect(() => decrypt(sealed.ciphertext, "a", ring, context)).toThrow(DecryptionError);
    }
    // The parts are encoded unambiguously: shifting text between them is another context.
    const shifted = encrypt("value", ring, { table: "t", column: "c/d", row: "r" });
    expect(() => decrypt(shifted.ciphertext, "a", ring, { table: "t", column: "c", row: "d/r" })).toThrow(DecryptionError);
  });

  it("still reads values in the old format, which carry no version prefix", () => {
    const ring = parseKeyRing(`a:${key()}`);
    const old = legacyEncrypt("value", ring);
    expect(isLegacyCiphertext(old.ciphertext)).toBe(true);
    expect(decrypt(old.ciphertext, old.keyId, ring, at)).toBe("value");
  });

  it("explains a malformed key ring without echoing the key", () => {
    const short = Buffer.alloc(16).toString("base64");
    expect(() => parseKeyRing("nocolon")).toThrow(/kid:base64key/);
    expect(() => parseKeyRing(`a:${short}`)).toThrow(/key "a" must be 32 bytes in base64 \(try: openssl rand -base64 32\)/);
    expect(() => parseKeyRing(`a:${short}`)).not.toThrow(new RegExp(short.replace(/[+/=]/g, "\\$&")));
    expect(() => parseKeyRing(`a b:${key()}`)).toThrow(/key id/);
    expect(() => parseKeyRing(`a:${key()},a:${key()}`)).toThrow(/twice/);
    expect(() => parseKeyRing(" , ")).toThrow(/has no key/);
  });
});
