import { can } from "@/lib/auth/permissions";
import type { DueReminder, OutboxInsert } from "@/lib/data/scheduler";
import type { ExpiryReminderData } from "@/lib/email/render";
import { reminderSubject } from "@/lib/email/wording";
import { calendarDate, daysBetween } from "@/lib/rotation/calendar";

/**
 * Who is told about an organisation's credentials and what the e-mail says: TypeScript, not SQL
 * (docs/domain.md, "Expiry reminders": every active admin and the designated user).
 */

export interface Member {
  organisation_id: string;
  role: "admin" | "spoc" | "member";
  email: string;
}

/** The addresses told about an organisation's credentials: the roles that receive reminders. */
export function recipientsByOrganisation(members: readonly Member[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of members) {
    if (!can(m.role, "reminders.receive")) continue;
    const list = out.get(m.organisation_id) ?? [];
    if (!list.includes(m.email)) list.push(m.email);
    out.set(m.organisation_id, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** The reminder e-mail for one due credential; null when the organisation has nobody to tell. */
export function reminderMail(due: DueReminder, deliveryId: string, recipients: string[] | undefined, at: Date): OutboxInsert | null {
  if (!recipients || recipients.length === 0) return null;
  const data: ExpiryReminderData = {
    organisation: due.organisation_name,
    slug: due.slug,
    client: due.client_name,
    clientId: due.client_id,
    credential: due.credential,
    identifier: due.identifier,
    expiryDate: due.expiry_date,
    timeZone: due.time_zone,
    locale: due.locale,
    autoIssue: due.auto_issue,
    lastUsedAt: due.last_used_at === null ? null : new Date(due.last_used_at).toISOString(),
    successor: due.successor,
  };
  return {
    organisationId: due.organisation_id,
    reminderDeliveryId: deliveryId,
    kind: due.credential === "secret" ? "expiry_reminder" : "key_expiry_reminder",
    toAddresses: recipients,
    // Worded again when it is delivered (lib/email/render.ts): a mail delayed by an outage counts
    // its days from the day it goes out.
    subject: reminderSubject(due.credential, due.client_name, daysBetween(calendarDate(due.today), calendarDate(due.expiry_date))),
    template: "expiry-reminder",
    data: data as unknown as Record<string, unknown>,
    createdAt: at,
    nextAttemptAt: at,
  };
}
