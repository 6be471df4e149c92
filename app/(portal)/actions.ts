"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/session-cookie";
import { getDb } from "@/lib/data/database";
import { deleteSession } from "@/lib/data/sessions";

/** Logout ends the session row itself, not just the cookie: the token is useless afterwards. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const db = await getDb();
  for (const name of SESSION_COOKIE_NAMES) {
    const token = jar.get(name)?.value;
    if (token) await deleteSession(db, token);
    jar.delete(name);
  }
  redirect("/signin?signedOut=1");
}
