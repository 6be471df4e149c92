import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, sessions, users } from "@/db/schema";

export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

/**
 * The cookie holds the random session token; the `session` table holds only its SHA-256 digest
 * (hex), so a copy of the database (a backup, a read replica, an SQL injection elsewhere) yields
 * no usable session. A fast digest is enough for a high-entropy random value (see
 * lib/crypto/tokens.ts). Every look-up by token goes through here or lib/data/auth-adapter.ts.
 */
export function sessionTokenDigest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A database session, the same row Auth.js's adapter creates and reads; the person's last sign-in is now. */
export async function createSession(db: Executor, userId: string, now: Date): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.insert(sessions).values({ sessionToken: sessionTokenDigest(token), userId, expires, authenticatedAt: now });
  await recordSignIn(db, userId, now);
  return { token, expires };
}

/** A new session is a sign-in: the Active users tab shows when each person last signed in. */
export async function recordSignIn(db: Executor, userId: string, at: Date): Promise<void> {
  await db.update(users).set({ lastSignedInAt: at }).where(eq(users.id, userId));
}

/**
 * When the session's person last proved who they are (its sign-in), or null when the token names
 * no session that is still valid at `now`.
 */
export async function findSessionSignInTime(db: Executor, token: string, now: Date): Promise<Date | null> {
  const [row] = await db
    .select({ authenticatedAt: sessions.authenticatedAt })
    .from(sessions)
    .where(and(eq(sessions.sessionToken, sessionTokenDigest(token)), gt(sessions.expires, now)))
    .limit(1);
  return row?.authenticatedAt ?? null;
}

export async function deleteSession(db: Executor, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sessionToken, sessionTokenDigest(token)));
}

/** The ID token kept for the session's user by the OIDC sign-in: the id_token_hint for logout. */
export async function findOidcIdTokenForSession(db: Executor, token: string): Promise<string | null> {
  const [row] = await db
    .select({ idToken: accounts.id_token })
    .from(sessions)
    .innerJoin(accounts, and(eq(accounts.userId, sessions.userId), eq(accounts.provider, "oidc")))
    .where(eq(sessions.sessionToken, sessionTokenDigest(token)))
    .limit(1);
  return row?.idToken ?? null;
}

/**
 * Data migration: rows written before tokens were stored as digests hold the token itself. They
 * can never match again (a cookie is now looked up by its digest), and they last at most
 * SESSION_MAX_AGE_SECONDS, so they are dropped rather than converted: those people sign in again.
 */
export async function deleteClearTextSessions(db: Executor): Promise<number> {
  const dropped = await db.delete(sessions).where(sql`${sessions.sessionToken} !~ '^[0-9a-f]{64}$'`).returning({ userId: sessions.userId });
  return dropped.length;
}
