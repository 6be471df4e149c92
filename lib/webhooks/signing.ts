import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { decrypt, encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { webhookSecretCipherContext } from "@/lib/data/cipher-contexts";
import type { SigningSecretRow, StoredSigningSecret } from "@/lib/data/webhooks";

/*
 * Standard Webhooks signing (https://www.standardwebhooks.com/, docs/webhooks.md): each request
 * carries webhook-id (the event's id, the same on every retry and replay, so a receiver can drop
 * one it has seen), webhook-timestamp (seconds, when this attempt was signed) and
 * webhook-signature, "v1,<base64 HMAC-SHA256 of id.timestamp.body>", one per signing secret in
 * use, separated by spaces: during a rotation's overlap a receiver holding either secret verifies.
 * The maintained `standardwebhooks` package signs, so receivers verify with the same code.
 */

const PREFIX = "whsec_";

/** A new signing secret: whsec_ and 32 random bytes in base64 (the scheme's format). */
export function generateSigningSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}

/** What is stored of a new secret: encrypted, bound to its row, and its last characters for display. */
export function sealSigningSecret(value: string, keyRing: KeyRing): StoredSigningSecret {
  const id = randomUUID();
  const sealed = encrypt(value, keyRing, webhookSecretCipherContext(id));
  return { id, ciphertext: sealed.ciphertext, encryptionKeyId: sealed.keyId, maskedTail: value.slice(-4) };
}

export function openSigningSecret(row: Pick<SigningSecretRow, "id" | "ciphertext" | "encryptionKeyId">, keyRing: KeyRing): string {
  return decrypt(row.ciphertext, row.encryptionKeyId, keyRing, webhookSecretCipherContext(row.id));
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three headers for `body`, signed at `at` by every secret given (the current one first). */
export function signWebhook(eventId: string, body: string, secrets: string[], at: Date): SignedHeaders {
  if (secrets.length === 0) throw new Error("an endpoint has no signing secret");
  return {
    "webhook-id": eventId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(eventId, at, body)).join(" "),
  };
}
