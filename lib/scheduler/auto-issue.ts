import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { auditEvents, clientSecrets } from "@/db/schema";
import { digestSecret, generateClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { secretCipherContext } from "@/lib/data/cipher-contexts";
import { secretExpiry } from "@/lib/rotation/secret-state";
import { rows } from "./sql-rows";

interface Candidate {
  client_uuid: string;
  client_id: string;
  organisation_id: string;
  time_zone: string;
  validity_days: number;
  overlap_days: number;
  reveal: boolean;
  current_id: string;
}

const PAGE = 1000;

/**
 * Clients whose one live secret has reached its auto-issue day (the rule of lib/rotation's
 * autoIssueDue, in SQL). "One" counts every secret neither revoked nor expired at `at`, whenever
 * it was created, so a secret a person created after this run read its clock still counts.
 */
function candidates(db: Executor, at: string, where: SQL) {
  return rows<Candidate>(
    db,
    sql`
      select c.id as client_uuid, c.client_id, c.organisation_id, o.time_zone, o.validity_days, o.overlap_days,
             (o.secret_reveal_policy = 'reveal') as reveal, live.id as current_id
      from oauth_client c
      join organisation o on o.id = c.organisation_id
      join lateral (
        select s.id, s.expires_at, s.created_at, count(*) over () as n
        from client_secret s
        where s.client_id = c.id and (s.revoked_at is null or s.revoked_at > ${at}) and s.expires_at > ${at}
      ) live on true
      where o.auto_issue and c.disabled_at is null and live.n = 1 and live.created_at <= ${at} and ${where}
        and ((live.expires_at - interval '1 millisecond') at time zone o.time_zone)::date - o.overlap_days
            <= (${at}::timestamptz at time zone o.time_zone)::date
      order by c.id
      limit ${PAGE}`,
  );
}

/**
 * Seed 000: where the organisation's policy says so, the next secret is issued automatically from
 * the old one's expiry day minus the overlap. A page of candidates is found set-based; then, in
 * one transaction, their client rows are locked (in id order, so concurrent runs cannot deadlock),
 * the candidates are found again under the lock (a fresh snapshot: a person may have rotated or
 * revoked while this run read), the new secrets are made here (they need the deployment key) and
 * inserted in bulk together with their audit events. A crash leaves a page entirely issued and
 * audited, or not at all; a concurrent run or rotation cannot produce a third secret (the lock,
 * the unique "one live successor" index and the database's two-live limit all say no).
 */
export async function autoIssueDueSecrets(db: Database, keyRing: KeyRing, now: Date): Promise<number> {
  // Raw SQL parameters go as ISO strings: postgres.js (as drizzle sets it up) takes no Date objects.
  const at = now.toISOString();
  let issued = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await candidates(db, at, sql`c.id > ${after}`);
    if (page.length === 0) break;
    after = page[page.length - 1]!.client_uuid;
    issued += await db.transaction(async (tx) => {
      // A Postgres array literal: both drivers take it as one text parameter (uuids need no quoting).
      const ids = `{${page.map((c) => c.client_uuid).join(",")}}`;
      await tx.execute(sql`select id from oauth_client where id = any(${ids}::uuid[]) order by id for update`);
      const due = await candidates(tx, at, sql`c.id = any(${ids}::uuid[])`);
      if (due.length === 0) return 0;
      const values = due.map((c) => {
        const value = generateClientSecret();
        // The row id is made here, so the ciphertext can be bound to its row (lib/crypto/encryption.ts).
        const id = randomUUID();
        const sealed = c.reveal ? encrypt(value, keyRing, secretCipherContext(id)) : null;
        return {
          id,
          clientId: c.client_uuid,
          digest: digestSecret(value),
          ciphertext: sealed?.ciphertext ?? null,
          encryptionKeyId: sealed?.keyId ?? null,
          maskedTail: secretTail(value),
          createdAt: now,
          expiresAt: secretExpiry(now, { timeZone: c.time_zone, validityDays: c.validity_days, overlapDays: c.overlap_days }).expiresAt,
          issuedBy: "auto" as const,
          replacesSecretId: c.current_id,
        };
      });
      const inserted = await tx
        .insert(clientSecrets)
        .values(values)
        .onConflictDoNothing({ target: clientSecrets.replacesSecretId, where: sql`${clientSecrets.revokedAt} is null` })
        .returning({ id: clientSecrets.id, clientUuid: clientSecrets.clientId });
      if (inserted.length === 0) return 0;
      const byClient = new Map(due.map((c) => [c.client_uuid, c]));
      await tx.insert(auditEvents).values(
        inserted.map((s) => ({
          organisationId: byClient.get(s.clientUuid)!.organisation_id,
          actorType: "system" as const,
          actorLabel: "Scheduler",
          action: "secret.auto_issued",
          targetType: "client_secret",
          targetId: s.id,
          occurredAt: now,
          metadata: { client: byClient.get(s.clientUuid)!.client_id },
        })),
      );
      return inserted.length;
    });
    if (page.length < PAGE) break;
  }
  return issued;
}
