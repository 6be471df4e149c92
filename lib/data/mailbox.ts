import { and, arrayContains, count, desc, eq, ne } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { emailOutbox, organisations } from "@/db/schema";

export interface MailDto {
  id: string;
  kind: string;
  to: string[];
  subject: string;
  status: "pending" | "sent" | "dead";
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  template: string;
  data: Record<string, unknown>;
  html: string | null;
  text: string | null;
}

const mailColumns = {
  id: emailOutbox.id,
  kind: emailOutbox.kind,
  to: emailOutbox.toAddresses,
  subject: emailOutbox.subject,
  status: emailOutbox.status,
  attempts: emailOutbox.attempts,
  createdAt: emailOutbox.createdAt,
  sentAt: emailOutbox.sentAt,
  lastError: emailOutbox.lastError,
  template: emailOutbox.template,
  data: emailOutbox.data,
  html: emailOutbox.html,
  text: emailOutbox.text,
};

/**
 * The organisation's e-mail, newest first: the development mailbox that Dev Tools shows. Never a
 * sign-in link, not even one from before links stopped belonging to an organisation: a link is for
 * its recipient's eyes only.
 */
export async function listOrganisationMail(db: Executor, organisationId: string, limit = 20): Promise<MailDto[]> {
  return db
    .select(mailColumns)
    .from(emailOutbox)
    .where(and(eq(emailOutbox.organisationId, organisationId), ne(emailOutbox.kind, "sign_in_link")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(limit);
}

/** Sign-in mail addressed to one person, for their own eyes (its link is erased once delivered). */
export async function listOwnSignInMail(db: Executor, email: string, limit = 10): Promise<MailDto[]> {
  return db
    .select(mailColumns)
    .from(emailOutbox)
    .where(and(eq(emailOutbox.kind, "sign_in_link"), arrayContains(emailOutbox.toAddresses, [email])))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(limit);
}

export interface OutboxHealthDto {
  pending: number;
  sent: number;
  dead: { id: string; organisation: string | null; subject: string; attempts: number; lastError: string | null; createdAt: Date }[];
}

/** For the platform operator: how delivery is going, and every message that gave up. */
export async function getOutboxHealth(db: Executor): Promise<OutboxHealthDto> {
  const counts = await db.select({ status: emailOutbox.status, n: count() }).from(emailOutbox).groupBy(emailOutbox.status);
  const dead = await db
    .select({
      id: emailOutbox.id,
      organisation: organisations.name,
      subject: emailOutbox.subject,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
    })
    .from(emailOutbox)
    .leftJoin(organisations, eq(organisations.id, emailOutbox.organisationId))
    .where(and(eq(emailOutbox.status, "dead")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(50);
  const of = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
  return { pending: of("pending"), sent: of("sent"), dead };
}
