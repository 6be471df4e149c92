import type { Database } from "@/db/client";
import { activeMembersOf, dueReminders, enqueueMail, recordReminderDeliveries, schedulerTransaction } from "@/lib/data/scheduler";
import { recipientsByOrganisation, reminderMail } from "./notices";

const PAGE = 1000;

/**
 * Expiry reminders (docs/domain.md, "Expiry reminders"), a page at a time, each page in one
 * transaction: the deliveries recorded (unique per credential and offset, so a concurrent run's
 * duplicate is skipped) and their e-mails enqueued commit together or not at all.
 */
export async function enqueueReminders(db: Database, credential: "secret" | "key", now: Date): Promise<number> {
  const at = now.toISOString();
  let recorded = 0;
  for (;;) {
    const page = await schedulerTransaction(db, async (tx) => {
      const due = await dueReminders(tx, credential, at, PAGE);
      const won = await recordReminderDeliveries(tx, due, now);
      const recipients = recipientsByOrganisation(await activeMembersOf(tx, [...new Set(due.map((d) => d.organisation_id))]));
      const mails = due.flatMap((d) => {
        const deliveryId = won.get(d.credential_id);
        const mail = deliveryId ? reminderMail(d, deliveryId, recipients.get(d.organisation_id), now) : null;
        return mail ? [mail] : [];
      });
      await enqueueMail(tx, mails);
      return { found: due.length, won: won.size };
    });
    recorded += page.won;
    // A full page all won by another run would repeat forever: stop when nothing was ours.
    if (page.found < PAGE || page.won === 0) break;
  }
  return recorded;
}

export const enqueueSecretReminders = (db: Database, now: Date) => enqueueReminders(db, "secret", now);
export const enqueueKeyReminders = (db: Database, now: Date) => enqueueReminders(db, "key", now);
