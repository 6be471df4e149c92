import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { emailOutbox, memberships, organisations } from "@/db/schema";
import { getDb } from "@/lib/data/database";
import { listOrganisationsForUser } from "@/lib/data/organisations";
import { getPlatformSettings } from "@/lib/data/platform";
import { findUserByEmail, isPlatformOperator } from "@/lib/data/users";
import { drainOutbox } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import { mailTransport } from "@/lib/scheduler/runtime";
import { storableText } from "@/lib/text-field";

export const SIGN_IN_LINK_MINUTES = 10;

const ENTER_EMAIL = "Enter your e-mail address, e.g. name@example.com.";

/** The address typed on the sign-in page. */
export const signInEmailField = storableText({ error: ENTER_EMAIL })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: ENTER_EMAIL }));

/** Only invited people with an active membership, and platform operators, may sign in. */
export async function maySignIn(email: string | null | undefined): Promise<boolean> {
  if (!email) return false;
  const db = await getDb();
  const user = await findUserByEmail(db, email);
  if (!user) return false;
  if (await isPlatformOperator(db, user.id)) return true;
  return (await listOrganisationsForUser(db, user.id)).length > 0;
}

/**
 * Sends a sign-in link through the outbox, the same path (and the same development mailbox) as
 * the reminders, and delivers it at once rather than waiting for the scheduler.
 */
export async function sendSignInLink(email: string, url: string): Promise<void> {
  const db = await getDb();
  const user = await findUserByEmail(db, email);
  const [home] = user
    ? await db
        .select({ id: organisations.id })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
        .where(and(eq(memberships.userId, user.id), eq(memberships.status, "active")))
        .orderBy(asc(organisations.name))
        .limit(1)
    : [];
  const settings = await getPlatformSettings(db);
  const now = new Date();
  await db.insert(emailOutbox).values({
    organisationId: home?.id ?? null,
    kind: "sign_in_link",
    toAddresses: [email],
    subject: `Your sign-in link for ${settings.serviceName}`,
    template: "sign-in-link",
    data: { url, minutes: SIGN_IN_LINK_MINUTES, service: settings.serviceName },
    createdAt: now,
    nextAttemptAt: now,
  });
  const transport = mailTransport();
  if (transport) await drainOutbox(db, transport, { now, publicUrl: env().ROTOR_PUBLIC_URL, maxBatches: 1 });
}
