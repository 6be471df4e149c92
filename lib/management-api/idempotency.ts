import { createHash } from "node:crypto";
import type { Database } from "@/db/client";
import { decrypt, encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { idempotencyCipherContext } from "@/lib/data/cipher-contexts";
import {
  claimIdempotencyKey,
  findIdempotencyRecord,
  IN_PROGRESS,
  releaseIdempotencyKey,
  releaseIdempotencyKeyIfOlder,
  storeIdempotentResponse,
} from "@/lib/data/idempotency";
import { problem } from "./problem";

export interface ApiResult {
  status: number;
  body: unknown;
  /**
   * What a replay of this request answers, where that differs from the first answer: a secret made
   * under the show-once policy is in the first response only, never kept for a replay.
   */
  replayBody?: unknown;
}

/** A key answers replays for a day, like the payment APIs that made the header common; then it is forgotten. */
export const IDEMPOTENCY_KEEP_MS = 86_400_000;

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
}

export function jsonResponse(result: ApiResult, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(result.body), {
    status: result.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

/**
 * POSTs honour an Idempotency-Key: the key is claimed (unique row) before the work runs, so a
 * retried or concurrent request with the same key runs it at most once and gets the first
 * response back, for a day. Stored responses can hold a new secret, so they are sealed with the
 * deployment key, bound to their record, never kept in clear; under show-once they hold no value.
 */
export async function withIdempotency(
  db: Database,
  input: { tokenId: string; key: string | null; fingerprint: string; keyRing: KeyRing; now: Date },
  run: () => Promise<ApiResult>,
): Promise<Response> {
  if (input.key === null) return jsonResponse(await run());
  if (!/^[\x21-\x7e]{1,255}$/.test(input.key)) {
    return problem(400, "Bad request", "The Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID.");
  }
  const key = input.key;
  const record = { tokenId: input.tokenId, key, fingerprint: input.fingerprint, at: input.now };
  let claimed = await claimIdempotencyKey(db, record);
  if (!claimed && (await releaseIdempotencyKeyIfOlder(db, input.tokenId, key, new Date(input.now.getTime() - IDEMPOTENCY_KEEP_MS)))) {
    claimed = await claimIdempotencyKey(db, record);
  }
  if (!claimed) {
    const found = await findIdempotencyRecord(db, input.tokenId, key);
    if (!found) return problem(409, "Conflict", "This Idempotency-Key is being released; retry shortly.");
    if (found.requestFingerprint !== input.fingerprint) {
      return problem(
        422,
        "Unprocessable content",
        "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
      );
    }
    if (found.responseStatus === IN_PROGRESS) {
      return problem(409, "Conflict", "A request with this Idempotency-Key is still being processed. Retry shortly.");
    }
    const sealed = found.responseBody as { ciphertext: string; keyId: string };
    return jsonResponse(
      {
        status: found.responseStatus,
        body: JSON.parse(decrypt(sealed.ciphertext, sealed.keyId, input.keyRing, idempotencyCipherContext(input.tokenId, key))),
      },
      { "Idempotent-Replayed": "true" },
    );
  }
  let result: ApiResult;
  try {
    result = await run();
  } catch (error) {
    // Nothing was done (the use case's transaction rolled back): free the key for a retry.
    await releaseIdempotencyKey(db, input.tokenId, key);
    throw error;
  }
  const kept = "replayBody" in result ? result.replayBody : result.body;
  const sealed = encrypt(JSON.stringify(kept), input.keyRing, idempotencyCipherContext(input.tokenId, key));
  await storeIdempotentResponse(db, input.tokenId, key, result.status, sealed);
  return jsonResponse(result);
}
