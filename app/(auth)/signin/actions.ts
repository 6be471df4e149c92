"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { getCaller } from "@/lib/auth/caller";
import { signIn } from "@/lib/auth/config";
import { signInAsDemoPerson } from "@/lib/auth/demo-sign-in";
import { signInEmailField } from "@/lib/auth/email-sign-in";
import { safeReturnPath } from "@/lib/auth/return-to";
import { SESSION_COOKIE_NAMES, sessionCookieName } from "@/lib/auth/session-cookie";
import { getDb } from "@/lib/data/database";
import { deleteSession } from "@/lib/data/sessions";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { getRateLimits } from "@/lib/rate-limit/runtime";
import { maySendSignInLink } from "@/lib/rate-limit/sign-in-throttle";
import { clientAddress } from "@/lib/request-meta";

export interface DemoSignInState {
  error: string | null;
}

/** The page to land on afterwards: the one the person asked for, if it is one of ours (lib/auth/return-to.ts). */
const returnTo = (next: string | null) => safeReturnPath(next, env().ROTOR_PUBLIC_URL);

export async function demoSignInAction(next: string | null, _previous: DemoSignInState, formData: FormData): Promise<DemoSignInState> {
  const h = await headers();
  const result = await signInAsDemoPerson({ email: formData.get("email") }, clientAddress(h), new Date());
  if (!result.ok) return { error: result.error };
  // A sign-in replaces the browser's session (a "confirm it's you" included): the old row goes too.
  await endCurrentSession();
  const publicUrl = env().ROTOR_PUBLIC_URL;
  (await cookies()).set(sessionCookieName(publicUrl), result.sessionToken, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl.startsWith("https://"),
    path: "/",
    expires: result.expires,
  });
  redirect(returnTo(next) ?? result.landing);
}

export interface EmailSignInState {
  error: string | null;
  email?: string;
}

/**
 * Asks Auth.js's e-mail provider for a sign-in link. Everyone gets the same page at once: looking
 * the address up, making the token and sending the mail all happen after the response (Next's
 * after()), so neither the answer nor its timing says whether the address is invited.
 */
export async function emailSignInAction(next: string | null, _previous: EmailSignInState, formData: FormData): Promise<EmailSignInState> {
  const email = String(formData.get("email") ?? "");
  const parsed = signInEmailField.safeParse(email);
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Enter your e-mail address.", email };
  return sendLink(parsed.data, next);
}

/**
 * "Confirm it's you" by e-mail (lib/auth/step-up.ts): a link to the signed-in person's own address,
 * never one typed here. The session stays until the link is used, which starts a new one
 * (Auth.js creates a session for every e-mail sign-in).
 */
export async function emailReauthenticateAction(next: string | null): Promise<void> {
  const caller = await getCaller();
  if (!caller?.email) redirect("/signin");
  const parsed = signInEmailField.safeParse(caller.email);
  if (!parsed.success) redirect("/signin");
  await sendLink(parsed.data, next);
}

/** Counts the request against the sign-in limits and, within them, has the link sent after the response. */
async function sendLink(email: string, next: string | null): Promise<never> {
  // Over a limit, no mail goes out, and the page says nothing different (docs/security.md).
  const limits = await getRateLimits();
  const address = clientAddress(await headers()).ip;
  const allowed = await maySendSignInLink(
    { perEmail: limits.signInPerEmail, perEmailTotal: limits.signInPerEmailTotal, perAddress: limits.signInPerAddress },
    email,
    address,
  );
  if (!allowed) {
    redirect("/signin/check-email");
  }
  after(async () => {
    try {
      await signIn("email", { email, redirectTo: returnTo(next) ?? "/", redirect: false });
    } catch (error) {
      // Setting Auth.js's cookies after the response fails harmlessly once the mail is on its way.
      const type = (error as { type?: string }).type ?? (error instanceof Error ? error.name : "error");
      if (!/cookie/i.test(error instanceof Error ? error.message : "")) log().warn({ type }, "sign-in: no link sent");
    }
  });
  redirect("/signin/check-email");
}

/** Starts the OpenID Connect sign-in (state, nonce and PKCE are made and kept by Auth.js). */
export async function oidcSignInAction(next: string | null): Promise<void> {
  await signIn("oidc", { redirectTo: returnTo(next) ?? "/" });
}

/**
 * "Confirm it's you" through the provider (lib/auth/step-up.ts). prompt=login makes the provider
 * ask for the person's credentials even when it still has a session of its own (OpenID Connect
 * Core 1.0, 3.1.2.1). The current session ends first: Auth.js keeps an existing session when the
 * same account signs in again, so only a new one carries the new sign-in time.
 */
export async function oidcReauthenticateAction(next: string | null): Promise<void> {
  await endCurrentSession();
  await signIn("oidc", { redirectTo: returnTo(next) ?? "/" }, { prompt: "login" });
}

/** Deletes this browser's session row and cookie, if it has one. */
async function endCurrentSession(): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIE_NAMES) {
    const token = jar.get(name)?.value;
    if (!token) continue;
    await deleteSession(await getDb(), token);
    jar.delete(name);
  }
}
