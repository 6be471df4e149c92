import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterSession } from "next-auth/adapters";
import type { Database } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { sessionTokenDigest } from "@/lib/data/sessions";

/**
 * Auth.js's Drizzle adapter over Rotor's tables, with session tokens stored as digests
 * (lib/data/sessions.ts). Auth.js hands the adapter the cookie's token; the four session methods
 * look the row up by its digest and give the token back in what they return, because Auth.js sets
 * the cookie from the returned session (@auth/core lib/actions/callback). Nothing else reads or
 * writes `session` by token.
 */
export function rotorAdapter(db: Database): Adapter {
  return withSessionTokenDigests(
    DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
  );
}

export function withSessionTokenDigests(adapter: Adapter): Adapter {
  const { createSession, getSessionAndUser, updateSession, deleteSession } = adapter;
  if (!createSession || !getSessionAndUser || !updateSession || !deleteSession) {
    throw new Error("The adapter must support database sessions");
  }
  const withToken = <T extends AdapterSession | null | undefined>(session: T, sessionToken: string): T =>
    session ? { ...session, sessionToken } : session;
  return {
    ...adapter,
    async createSession(session) {
      return withToken(await createSession({ ...session, sessionToken: sessionTokenDigest(session.sessionToken) }), session.sessionToken);
    },
    async getSessionAndUser(sessionToken) {
      const found = await getSessionAndUser(sessionTokenDigest(sessionToken));
      return found ? { ...found, session: withToken(found.session, sessionToken) } : null;
    },
    async updateSession(session) {
      return withToken(await updateSession({ ...session, sessionToken: sessionTokenDigest(session.sessionToken) }), session.sessionToken);
    },
    async deleteSession(sessionToken) {
      await deleteSession(sessionTokenDigest(sessionToken));
    },
  };
}
