import { z } from "zod";
import { recordEvent } from "@/lib/data/audit";
import { getDb } from "@/lib/data/database";
import { listOrganisationsForUser } from "@/lib/data/organisations";
import { createSession } from "@/lib/data/sessions";
import { findUserByEmail, isPlatformOperator } from "@/lib/data/users";
import { env } from "@/lib/env";
import { storableText } from "@/lib/text-field";

export const demoSignInInput = z.object({
  email: storableText({ error: "Choose one of the demo people listed." }).pipe(z.email({ error: "Choose one of the demo people listed." })),
});

export function demoSignInEnabled(): boolean {
  const e = env();
  // lib/env refuses ROTOR_DEMO in production; checked again here so no path can bypass it.
  return e.ROTOR_DEMO && e.ROTOR_ENV !== "production";
}

export type DemoSignInResult = { ok: true; sessionToken: string; expires: Date; landing: string } | { ok: false; error: string };

/** "Continue as" a seeded person: demo mode only, and only people who may sign in at all. */
export async function signInAsDemoPerson(
  input: unknown,
  request: { ip: string | null; userAgent: string | null },
  now: Date,
): Promise<DemoSignInResult> {
  if (!demoSignInEnabled()) return { ok: false, error: "Demo sign-in is turned off on this deployment." };
  const parsed = demoSignInInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Choose a demo person." };
  const db = await getDb();
  const user = await findUserByEmail(db, parsed.data.email);
  if (!user) return { ok: false, error: "There is no demo person with that e-mail address." };
  const [organisations, isOperator] = await Promise.all([listOrganisationsForUser(db, user.id), isPlatformOperator(db, user.id)]);
  if (!isOperator && organisations.length === 0) {
    return { ok: false, error: `${user.name ?? user.email} has been de-activated and cannot sign in. Choose an active person.` };
  }
  const session = await createSession(db, user.id, now);
  await recordEvent(db, {
    organisationId: null,
    actor: { type: "user", userId: user.id, label: user.email ?? user.id },
    action: "session.demo_sign_in",
    metadata: {},
    ip: request.ip,
    userAgent: request.userAgent,
  });
  const first = organisations[0];
  return { ok: true, sessionToken: session.token, expires: session.expires, landing: first ? `/orgs/${first.slug}` : "/platform" };
}
