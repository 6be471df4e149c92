import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { encrypt } from "@/lib/crypto/encryption";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { outboxLinkCipherContext } from "@/lib/data/cipher-contexts";
import { getDb } from "@/lib/data/database";
import { findInvitationFacts } from "@/lib/data/memberships";
import { enqueueMessage } from "@/lib/data/outbox";
import { getPlatformSettings } from "@/lib/data/platform";
import { findUserByEmail, isPlatformOperator } from "@/lib/data/users";
import { deliverMessage } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import { invitationsLetSignIn } from "@/lib/organisations/invitation-rule";
import { mailTransport } from "@/lib/scheduler/runtime";
import { storableText } from "@/lib/text-field";

export const SIGN_IN_LINK_MINUTES = 10;

/** A sign-in link waits at most this long for the provider before it is left to the scheduler's retries. */
export const SIGN_IN_SEND_TIMEOUT_MS = 5_000;

const ENTER_EMAIL = "Enter your e-mail address, e.g. name@example.com.";

/** The address typed on the sign-in page. */
export const signInEmailField = storableText({ error: ENTER_EMAIL })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: ENTER_EMAIL }));

/**
 * Only invited people with an active membership, and platform operators, may sign in; someone who
 * never signed in only while an invitation stands (lib/organisations/invitation-rule.ts).
 */
export async function maySignIn(email: string | null | undefined): Promise<boolean> {
  return signInAllowed(await getDb(), email, new Date());
}

export async function signInAllowed(db: Executor, email: string | null | undefined, now: Date): Promise<boolean> {
  if (!email) return false;
  const user = await findUserByEmail(db, email);
  if (!user) return false;
  if (await isPlatformOperator(db, user.id)) return true;
  const facts = await findInvitationFacts(db, user.id);
  return invitationsLetSignIn(facts.lastSignedInAt, facts.invitationsSentAt, now);
}

export class ForeignOriginLinkError extends Error {
  override name = "ForeignOriginLinkError";
}

/**
 * Sends a sign-in link through the outbox and delivers that one message at once, by id, with a
 * short timeout: it never waits behind other mail, and a hung provider cannot hang sign-in (the
 * scheduler retries it). The link must point at the configured public origin; a link built for
 * any other origin is never sent (docs/security.md, "The public origin"). The message belongs to
 * no organisation, so no organisation's mailbox lists it, and the outbox erases the link once it
 * is delivered (lib/email/outbox.ts).
 */
export async function sendSignInLink(email: string, url: string): Promise<void> {
  const e = env();
  if (!URL.canParse(url) || new URL(url).origin !== e.ROTOR_PUBLIC_URL) {
    throw new ForeignOriginLinkError("a sign-in link for another origin was refused and not sent");
  }
  const db = await getDb();
  const settings = await getPlatformSettings(db);
  const now = new Date();
  const keyRing = loadKeyRing(e);
  const id = randomUUID();
  const message = await enqueueMessage(db, {
    id,
    organisationId: null,
    kind: "sign_in_link",
    toAddresses: [email],
    subject: `Your sign-in link for ${settings.serviceName}`,
    template: "sign-in-link",
    // Encrypted while it waits, bound to this message; erased once delivered.
    data: { sealedUrl: encrypt(url, keyRing, outboxLinkCipherContext(id)), minutes: SIGN_IN_LINK_MINUTES, service: settings.serviceName },
    createdAt: now,
    nextAttemptAt: now,
  });
  const transport = mailTransport();
  if (transport) {
    await deliverMessage(db, transport, message, { now, publicUrl: e.ROTOR_PUBLIC_URL, timeoutMs: SIGN_IN_SEND_TIMEOUT_MS, keyRing });
  }
}
