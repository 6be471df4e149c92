import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { idempotencyRecords } from "@/db/schema";
import { decrypt, encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { idempotencyCipherContext } from "@/lib/data/cipher-contexts";
import { problem } from "./problem";

export interface ApiResult {
  status: number;
  body: unknown;
}

const IN_PROGRESS = 0;

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
 * response back. Stored responses can hold a new secret, so they are sealed with the deployment
 * key, never kept in clear.
 */
export async function withIdempotency(
  db: Database,
  input: { tokenId: string; key: string | null; fingerprint: string; keyRing: KeyRing },
  run: () => Promise<ApiResult>,
): Promise<Response> {
  if (input.key === null) return jsonResponse(await run());
  if (!/^[\x21-\x7e]{1,255}$/.test(input.key)) {
    return problem(400, "Bad request", "The Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID.");
  }
  const claimed = await db
    .insert(idempotencyRecords)
    .values({
      tokenId: input.tokenId,
      key: input.key,
      requestFingerprint: input.fingerprint,
      responseStatus: IN_PROGRESS,
      responseBody: {},
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyRecords.key });
  if (claimed.length === 0) {
    const [record] = await db
      .select()
      .from(idempotencyRecords)
      .where(and(eq(idempotencyRecords.tokenId, input.tokenId), eq(idempotencyRecords.key, input.key)));
    if (!record) return problem(409, "Conflict", "This Idempotency-Key is being released; retry shortly.");
    if (record.requestFingerprint !== input.fingerprint) {
      return problem(
        422,
        "Unprocessable content",
        "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
      );
    }
    if (record.responseStatus === IN_PROGRESS) {
      return problem(409, "Conflict", "A request with this Idempotency-Key is still being processed. Retry shortly.");
    }
    const sealed = record.responseBody as { ciphertext: string; keyId: string };
    return jsonResponse(
      {
        status: record.responseStatus,
        body: JSON.parse(decrypt(sealed.ciphertext, sealed.keyId, input.keyRing, idempotencyCipherContext(input.tokenId, input.key))),
      },
      { "Idempotent-Replayed": "true" },
    );
  }
  const release = () =>
    db
      .delete(idempotencyRecords)
      .where(and(eq(idempotencyRecords.tokenId, input.tokenId), eq(idempotencyRecords.key, input.key as string)));
  let result: ApiResult;
  try {
    result = await run();
  } catch (error) {
    // Nothing was done (the use case's transaction rolled back): free the key for a retry.
    await release();
    throw error;
  }
  const sealed = encrypt(JSON.stringify(result.body), input.keyRing, idempotencyCipherContext(input.tokenId, input.key));
  await db
    .update(idempotencyRecords)
    .set({ responseStatus: result.status, responseBody: sealed })
    .where(and(eq(idempotencyRecords.tokenId, input.tokenId), eq(idempotencyRecords.key, input.key)));
  return jsonResponse(result);
}
