"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/config";
import { signInAsDemoPerson } from "@/lib/auth/demo-sign-in";
import { signInEmailField } from "@/lib/auth/email-sign-in";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
import { clientAddress } from "@/lib/request-meta";

export interface DemoSignInState {
  error: string | null;
}

export async function demoSignInAction(_previous: DemoSignInState, formData: FormData): Promise<DemoSignInState> {
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
  redirect(result.landing);
}

export interface EmailSignInState {
  error: string | null;
  email?: string;
}

/** Asks Auth.js's e-mail provider for a sign-in link; the page it lands on is the same for everyone. */
export async function emailSignInAction(_previous: EmailSignInState, formData: FormData): Promise<EmailSignInState> {
  const email = String(formData.get("email") ?? "");
  const parsed = signInEmailField.safeParse(email);
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Enter your e-mail address.", email };
  // Same destination for everyone, whether or not a link was sent (see the signIn callback).
  await signIn("email", { email: parsed.data, redirectTo: "/", redirect: false });
  redirect("/signin/check-email");
}

/** Starts the OpenID Connect sign-in (state, nonce and PKCE are made and kept by Auth.js). */
export async function oidcSignInAction(): Promise<void> {
  await signIn("oidc", { redirectTo: "/" });
}
