"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { signIn } from "@/lib/auth/config";
import { signInAsDemoPerson } from "@/lib/auth/demo-sign-in";
import { signInEmailField } from "@/lib/auth/email-sign-in";
import { safeReturnPath } from "@/lib/auth/return-to";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
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
  // Over a limit, no mail goes out, and the page says nothing different (docs/security.md).
  const limits = await getRateLimits();
  const address = clientAddress(await headers()).ip;
  const allowed = await maySendSignInLink(
    { perEmail: limits.signInPerEmail, perEmailTotal: limits.signInPerEmailTotal, perAddress: limits.signInPerAddress },
    parsed.data,
    address,
  );
  if (!allowed) {
    redirect("/signin/check-email");
  }
  after(async () => {
    try {
      await signIn("email", { email: parsed.data, redirectTo: returnTo(next) ?? "/", redirect: false });
    } catch (error) {
      // Setting Auth.js's cookies after the response fails harmlessly once the mail is on its way.
      const type = (error as { type?: string }).type ?? (error instanceof Error ? error.name : "error");
      if (!/cookie/i.test(error instanceof Error ? error.message : "")) console.error(`sign-in: no link sent (${type})`);
    }
  });
  redirect("/signin/check-email");
}

/** Starts the OpenID Connect sign-in (state, nonce and PKCE are made and kept by Auth.js). */
export async function oidcSignInAction(next: string | null): Promise<void> {
  await signIn("oidc", { redirectTo: returnTo(next) ?? "/" });
}
