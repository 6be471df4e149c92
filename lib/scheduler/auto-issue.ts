import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
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
 * Seed 000: where the organisation's policy says so, the next secret is issued automatically from
 * the old one's expiry day minus the overlap (the rule of lib/rotation's autoIssueDue, in SQL).
 * Candidates are found set-based, a page at a time; the new secrets are made here (they need the
 * deployment key) and inserted in bulk. The unique "one live successor" index makes a concurrent
 * run, or a SPOC rotating at that moment, unable to produce a third secret: the loser's insert is
 * simply skipped.
 */
export async function autoIssueDueSecrets(db: Database, keyRing: KeyRing, now: Date): Promise<number> {
  // Raw SQL parameters go as ISO strings: postgres.js (as drizzle sets it up) takes no Date objects.
  const at = now.toISOString();
  let issued = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await rows<Candidate>(
      db,
      sql`
        select c.id as client_uuid, c.client_id, c.organisation_id, o.time_zone, o.validity_days, o.overlap_days,
               (o.secret_reveal_policy = 'reveal') as reveal, live.id as current_id
        from oauth_client c
        join organisation o on o.id = c.organisation_id
        join lateral (
          select s.id, s.expires_at, count(*) over () as n
          from client_secret s
          where s.client_id = c.id and s.revoked_at is null and s.expires_at > ${at} and s.created_at <= ${at}
        ) live on true
        where o.auto_issue and c.disabled_at is null and live.n = 1 and c.id > ${after}
          and ((live.expires_at - interval '1 millisecond') at time zone o.time_zone)::date - o.overlap_days
              <= (${at}::timestamptz at time zone o.time_zone)::date
        order by c.id
        limit ${PAGE}`,
    );
    if (page.length === 0) break;
    after = page[page.length - 1]!.client_uuid;
    const values = page.map((c) => {
      const value = generateClientSecret();
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
    const inserted = await db
      .insert(clientSecrets)
      .values(values)
      .onConflictDoNothing({ target: clientSecrets.replacesSecretId, where: sql`${clientSecrets.revokedAt} is null` })
      .returning({ id: clientSecrets.id, clientUuid: clientSecrets.clientId });
    if (inserted.length > 0) {
      const byClient = new Map(page.map((c) => [c.client_uuid, c]));
      await db.insert(auditEvents).values(
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
    }
    issued += inserted.length;
    if (page.length < PAGE) break;
  }
  return issued;
}
