import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, sessions } from "@/db/schema";

export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

/** A database session, the same row Auth.js's adapter creates and reads. */
export async function createSession(db: Executor, userId: string, now: Date): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.insert(sessions).values({ sessionToken: token, userId, expires });
  return { token, expires };
}

export async function deleteSession(db: Executor, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sessionToken, token));
}

/** The ID token kept for the session's user by the OIDC sign-in: the id_token_hint for logout. */
export async function findOidcIdTokenForSession(db: Executor, token: string): Promise<string | null> {
  const [row] = await db
    .select({ idToken: accounts.id_token })
    .from(sessions)
    .innerJoin(accounts, and(eq(accounts.userId, sessions.userId), eq(accounts.provider, "oidc")))
    .where(eq(sessions.sessionToken, token))
    .limit(1);
  return row?.idToken ?? null;
}
