import type { Database } from "@/db/client";
import { claimJwksFailureNotices } from "@/lib/data/client-jwks";
import { activeMembersOf, enqueueMail } from "@/lib/data/scheduler";
import type { JwksFailingData } from "@/lib/email/render";
import { JWKS_FAILING_NOTICE_SECONDS } from "@/lib/oauth/client-jwks";
import { recipientsByOrganisation } from "./notices";

/**
 * Tells an organisation's admins and designated user, once, when fetching one of its clients' JWKS
 * URL has failed for JWKS_FAILING_NOTICE_SECONDS (docs/domain.md, "Keys at a JWKS URL"). A good
 * fetch clears the mark, so a later run of failures is told again. Returns how many were told.
 */
export async function noticeFailingJwks(db: Database, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const failing = await claimJwksFailureNotices(tx, new Date(now.getTime() - JWKS_FAILING_NOTICE_SECONDS * 1000), now);
    if (failing.length === 0) return 0;
    const recipients = recipientsByOrganisation(await activeMembersOf(tx, [...new Set(failing.map((f) => f.organisationId))]));
    const mails = failing.flatMap((f) => {
      const to = recipients.get(f.organisationId);
      if (!to?.length) return [];
      const data: JwksFailingData = {
        organisation: f.organisationName,
        slug: f.slug,
        client: f.clientName,
        clientId: f.clientId,
        uri: f.uri,
        reason: f.lastError ?? "unknown",
        failingSince: f.failingSince.toISOString(),
        locale: f.locale,
        timeZone: f.timeZone,
      };
      return [
        {
          organisationId: f.organisationId,
          kind: "jwks_failing",
          toAddresses: to,
          subject: `Rotor cannot fetch the published keys of ${f.clientName}`,
          template: "jwks-failing",
          data: data as unknown as Record<string, unknown>,
          createdAt: now,
          nextAttemptAt: now,
        },
      ];
    });
    await enqueueMail(tx, mails);
    return mails.length;
  });
}
