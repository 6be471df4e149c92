import type { Database } from "@/db/client";
import { mintSecret } from "@/lib/credentials/mint-secret";
import type { KeyRing } from "@/lib/crypto/encryption";
import {
  activeMembersOf,
  autoIssueCandidates,
  clientIdAfter,
  clientIdIn,
  enqueueMail,
  insertAuditEvents,
  insertAutoIssued,
  lockClients,
  schedulerTransaction,
} from "@/lib/data/scheduler";
import type { MissedSuccessorData } from "@/lib/email/render";
import { missedSuccessorSubject } from "@/lib/email/wording";
import { toCalendarDate } from "@/lib/rotation/calendar";
import { expiryDateOf } from "@/lib/rotation/secret-state";
import { recipientsByOrganisation } from "./notices";

const PAGE = 1000;

export interface AutoIssueSummary {
  issued: number;
  /** Of those, successors of a secret that had already expired (no run fell inside its overlap). */
  missed: number;
}

/**
 * The next secret, issued automatically where the organisation's policy says so (docs/domain.md,
 * "Client secrets"): from the old one's expiry day minus the overlap, or at once when downtime
 * outlasted the overlap and the old one expired first; the admins and the designated user are then
 * told. A page of candidates is found set-based; then, in one transaction, their client rows are
 * locked (in id order, so concurrent runs cannot deadlock), the candidates are found again under
 * the lock (a person may have rotated or revoked meanwhile), the secrets are minted, inserted in
 * bulk and audited, and the notices enqueued. A crash leaves a page whole or not at all; a
 * concurrent run or rotation cannot make a third secret (the lock, the unique "one live successor"
 * index and the database's two-live limit all say no).
 */
export async function autoIssueDueSecrets(db: Database, keyRing: KeyRing, now: Date): Promise<AutoIssueSummary> {
  const at = now.toISOString();
  const summary: AutoIssueSummary = { issued: 0, missed: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await schedulerTransaction(db, (tx) => autoIssueCandidates(tx, at, clientIdAfter(after), PAGE));
    if (page.length === 0) break;
    after = page[page.length - 1]!.client_uuid;
    const result = await schedulerTransaction(db, async (tx) => {
      const ids = page.map((c) => c.client_uuid);
      await lockClients(tx, ids);
      const due = await autoIssueCandidates(tx, at, clientIdIn(ids), PAGE);
      if (due.length === 0) return { issued: 0, missed: 0 };
      const minted = due.map((c) => ({
        candidate: c,
        minted: mintSecret({
          createdAt: now,
          policy: { timeZone: c.time_zone, validityDays: c.validity_days, overlapDays: c.overlap_days },
          reveal: c.reveal,
          keyRing,
        }),
      }));
      const inserted = await insertAutoIssued(
        tx,
        minted.map(({ candidate, minted }) => ({ minted, clientUuid: candidate.client_uuid, replaces: candidate.current_id })),
      );
      const stored = new Set(inserted.map((s) => s.id));
      const issued = minted.filter(({ minted }) => stored.has(minted.id));
      await insertAuditEvents(
        tx,
        issued.map(({ candidate, minted }) => ({
          organisationId: candidate.organisation_id,
          actorType: "system" as const,
          actorLabel: "Scheduler",
          action: "secret.auto_issued" as const,
          targetType: "client_secret",
          targetId: minted.id,
          occurredAt: now,
          metadata: { client: candidate.client_id },
        })),
      );
      const missed = issued.filter(({ candidate }) => candidate.missed);
      if (missed.length > 0) {
        const recipients = recipientsByOrganisation(
          await activeMembersOf(
            tx,
            missed.map(({ candidate }) => candidate.organisation_id),
          ),
        );
        await enqueueMail(
          tx,
          missed.flatMap(({ candidate }) => {
            const to = recipients.get(candidate.organisation_id);
            if (!to?.length) return [];
            const data: MissedSuccessorData = {
              organisation: candidate.organisation_name,
              slug: candidate.slug,
              client: candidate.client_name,
              clientId: candidate.client_id,
              expiredOn: expiryDateOf(new Date(candidate.current_expires_at), candidate.time_zone),
              issuedOn: toCalendarDate(now, candidate.time_zone),
              locale: candidate.locale,
            };
            return [
              {
                organisationId: candidate.organisation_id,
                kind: "missed_successor",
                toAddresses: to,
                subject: missedSuccessorSubject(candidate.client_name),
                template: "missed-successor",
                data: data as unknown as Record<string, unknown>,
                createdAt: now,
                nextAttemptAt: now,
              },
            ];
          }),
        );
      }
      return { issued: issued.length, missed: missed.length };
    });
    summary.issued += result.issued;
    summary.missed += result.missed;
    if (page.length < PAGE) break;
  }
  return summary;
}
