import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterSession } from "next-auth/adapters";
import type { Database } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { recordSignIn, sessionTokenDigest } from "@/lib/data/sessions";

/**
 * Auth.js's Drizzle adapter over Rotor's tables, with session tokens stored as digests
 * (lib/data/sessions.ts). Auth.js hands the adapter the cookie's token; the four session methods
 * look the row up by its digest and give the token back in what they return, because Auth.js sets
 * the cookie from the returned session (@auth/core lib/actions/callback). Nothing else reads or
 * writes `session` by token.
 */
export function rotorAdapter(db: Database): Adapter {
  return withoutProviderTokens(
    withLastSignIn(
      db,
      withSessionTokenDigests(
        DrizzleAdapter(db, {
          usersTable: users,
          accountsTable: accounts,
          sessionsTable: sessions,
          verificationTokensTable: verificationTokens,
        }),
      ),
    ),
  );
}

/** Auth.js creates a session at each sign-in (OIDC or e-mail link): that is the person's last sign-in. */
export function withLastSignIn(db: Database, adapter: Adapter): Adapter {
  const { createSession } = adapter;
  if (!createSession) return adapter;
  return {
    ...adapter,
    async createSession(session) {
      const created = await createSession(session);
      await recordSignIn(db, session.userId, new Date());
      return created;
    },
  };
}

/**
 * The identity provider's access and refresh tokens are of no use to Rotor after sign-in (UserInfo
 * is read during it), so they are never stored: a database reader could otherwise call the
 * provider as the person. The ID token stays, as the id_token_hint for logout at the provider.
 */
export function withoutProviderTokens(adapter: Adapter): Adapter {
  const { linkAccount } = adapter;
  if (!linkAccount) return adapter;
  return {
    ...adapter,
    linkAccount: (account) => linkAccount({ ...account, access_token: undefined, refresh_token: undefined }),
  };
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
