import type { CipherContext } from "@/lib/crypto/encryption";

/**
 * Where each encrypted value lives, as bound into its AES-GCM additional data
 * (lib/crypto/encryption.ts). Fixed strings on purpose, not read from db/schema.ts: they are part
 * of every stored ciphertext, so renaming a table or column must not change them.
 */

export function secretCipherContext(secretId: string): CipherContext {
  return { table: "client_secret", column: "ciphertext", row: secretId };
}

export function signingKeyCipherContext(keyId: string): CipherContext {
  return { table: "signing_key", column: "private_ciphertext", row: keyId };
}

/** The record's key is (token_id, key); a token id is a uuid, so the "/" cannot be ambiguous. */
export function idempotencyCipherContext(tokenId: string, key: string): CipherContext {
  return { table: "idempotency_record", column: "response_body", row: `${tokenId}/${key}` };
}

/** A sign-in link waiting in the outbox, bound to its message. */
export function outboxLinkCipherContext(messageId: string): CipherContext {
  return { table: "email_outbox", column: "data.sealedUrl", row: messageId };
}

/** A webhook endpoint's signing secret (docs/webhooks.md). */
export function webhookSecretCipherContext(secretId: string): CipherContext {
  return { table: "webhook_signing_secret", column: "ciphertext", row: secretId };
}
