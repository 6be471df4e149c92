import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { digestSecret, isWellFormedClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { decrypt, parseKeyRing } from "@/lib/crypto/encryption";
import { secretCipherContext } from "@/lib/data/cipher-contexts";
import { secretExpiry } from "@/lib/rotation/secret-state";
import { mintSecret } from "./mint-secret";

/** docs/domain.md, "Client secrets": one place makes a secret, with what each policy keeps of it. */

const keyRing = parseKeyRing(`k2026:${randomBytes(32).toString("base64")}`);
const policy = { timeZone: "Europe/London", validityDays: 180, overlapDays: 30 };
const createdAt = new Date("2022-02-19T09:00:00.000Z");

describe("minting a client secret", () => {
  it("makes a well-formed value, keeps its digest and tail, and dates it by the policy", () => {
    const minted = mintSecret({ createdAt, policy, reveal: false, keyRing });
    expect(isWellFormedClientSecret(minted.value)).toBe(true);
    expect(minted).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      value: minted.value,
      digest: digestSecret(minted.value),
      ciphertext: null,
      encryptionKeyId: null,
      maskedTail: secretTail(minted.value),
      createdAt,
      expiresAt: secretExpiry(createdAt, policy).expiresAt,
    });
  });

  it("keeps a ciphertext bound to the secret's id only where the policy allows reveal", () => {
    const minted = mintSecret({ createdAt, policy, reveal: true, keyRing });
    expect(minted.encryptionKeyId).toBe("k2026");
    expect(decrypt(minted.ciphertext ?? "", "k2026", keyRing, secretCipherContext(minted.id))).toBe(minted.value);
    expect(() => decrypt(minted.ciphertext ?? "", "k2026", keyRing, secretCipherContext("another-id"))).toThrow();
  });

  it("never makes the same value or id twice", () => {
    const a = mintSecret({ createdAt, policy, reveal: false, keyRing });
    const b = mintSecret({ createdAt, policy, reveal: false, keyRing });
    expect(a.value).not.toBe(b.value);
    expect(a.id).not.toBe(b.id);
  });
});
