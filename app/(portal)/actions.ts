"use server";

import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { oidcSettings, providerMetadata } from "@/lib/auth/oidc";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/session-cookie";
import { getDb } from "@/lib/data/database";
import { deleteSession, findOidcIdTokenForSession } from "@/lib/data/sessions";
import { env } from "@/lib/env";

/** Logout ends the session row itself, not just the cookie: the token is useless afterwards. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const db = await getDb();
  let idToken: string | null = null;
  for (const name of SESSION_COOKIE_NAMES) {
    const token = jar.get(name)?.value;
    if (token) {
      idToken ??= await findOidcIdTokenForSession(db, token);
      await deleteSession(db, token);
    }
    jar.delete(name);
  }
  // Seed 003: signed in through the provider, so sign out there too.
  const e = env();
  const oidc = oidcSettings(e);
  if (idToken && oidc) {
    const { end_session_endpoint } = await providerMetadata(oidc.issuer).catch(() => ({ end_session_endpoint: undefined }));
    if (end_session_endpoint) {
      const url = new URL(end_session_endpoint);
      url.searchParams.set("id_token_hint", idToken);
      url.searchParams.set("state", randomBytes(16).toString("base64url"));
      url.searchParams.set("post_logout_redirect_uri", `${e.ROTOR_PUBLIC_URL}/signin`);
      redirect(url.toString());
    }
  }
  redirect("/signin?signedOut=1");
}
