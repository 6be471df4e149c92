import { randomBytes } from "node:crypto";
import { Auth, type AuthConfig } from "@auth/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { accounts, sessions, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/test-database";
import { rotorAdapter } from "@/lib/data/auth-adapter";
import { createSession, deleteSession, findOidcIdTokenForSession, findSessionSignInTime, sessionTokenDigest } from "@/lib/data/sessions";

/*
 * Session tokens at rest: the cookie carries the token, the database only its digest. Driven
 * through Auth.js itself (the same core next-auth runs) with the adapter lib/auth/config.ts uses,
 * so a real e-mail sign-in writes the row and the session endpoint reads it back.
 */
const ORIGIN = "http://rotor.test";
const COOKIE = "authjs.session-token";
let handle: DatabaseHandle;
let config: AuthConfig;
const links: string[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  config = {
    adapter: rotorAdapter(handle.db),
    basePath: "/api/auth",
    secret: randomBytes(32).toString("base64"),
    trustHost: true,
    session: { strategy: "database" },
    logger: { error() {}, warn() {}, debug() {} },
    providers: [
      {
        id: "email",
        type: "email",
        name: "E-mail",
        from: "Rotor <no-reply@rotor.example>",
        maxAge: 600,
        options: {},
        async sendVerificationRequest({ url }) {
          links.push(url);
        },
      },
    ],
  };
});
afterAll(async () => handle?.close());

const auth = (path: string, init: RequestInit = {}) => Auth(new Request(`${ORIGIN}${path}`, init), config);

function cookieFrom(response: Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    if (pair!.slice(0, at) === name) return decodeURIComponent(pair!.slice(at + 1));
  }
  return undefined;
}

/** Who the session endpoint says is signed in with this cookie value, if anyone. */
async function whoHas(token: string): Promise<string | null> {
  const response = await auth("/api/auth/session", { headers: { cookie: `${COOKIE}=${encodeURIComponent(token)}` } });
  const body = (await response.json()) as { user?: { email?: string } } | null;
  return body?.user?.email ?? null;
}

/** An e-mail sign-in, end to end: CSRF token, link requested, link followed; returns the session cookie. */
async function signInByEmail(email: string, signedInAs?: string): Promise<string> {
  const csrf = await auth("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = cookieFrom(csrf, "authjs.csrf-token")!;
  const asked = await auth("/api/auth/signin/email", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `authjs.csrf-token=${encodeURIComponent(csrfCookie)}` },
    body: new URLSearchParams({ email, csrfToken }),
  });
  expect(asked.status).toBe(302);
  const link = links.pop()!;
  const landed = await auth(
    new URL(link).pathname + new URL(link).search,
    signedInAs ? { headers: { cookie: `${COOKIE}=${encodeURIComponent(signedInAs)}` } } : {},
  );
  const token = cookieFrom(landed, COOKIE);
  if (!token) throw new Error("no session cookie after following the link");
  return token;
}

async function rowsFor(email: string) {
  return handle.db
    .select({ stored: sessions.sessionToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(users.email, email));
}

describe("session tokens are stored as digests", () => {
  it("after an Auth.js sign-in the row holds the digest, not the cookie, and the cookie still works", async () => {
    const token = await signInByEmail("ana@rotor.example");
    const rows = await rowsFor("ana@rotor.example");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.stored).not.toBe(token);
    expect(rows[0]!.stored).not.toContain(token);
    expect(rows[0]!.stored).toBe(sessionTokenDigest(token));
    expect(await whoHas(token)).toBe("ana@rotor.example");
  });

  it("a row copied out of the database is no use as a cookie", async () => {
    await signInByEmail("ben@rotor.example");
    const [row] = await rowsFor("ben@rotor.example");
    expect(await whoHas(row!.stored)).toBeNull();
  });

  it("sign-out through Auth.js deletes the row the cookie names", async () => {
    const token = await signInByEmail("cy@rotor.example");
    const csrf = await auth("/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = `${COOKIE}=${encodeURIComponent(token)}; authjs.csrf-token=${encodeURIComponent(cookieFrom(csrf, "authjs.csrf-token")!)}`;
    await auth("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken }),
    });
    expect(await rowsFor("cy@rotor.example")).toEqual([]);
    expect(await whoHas(token)).toBeNull();
  });

  it("the demo sign-in's sessions (lib/data/sessions.ts) are stored the same way, read by Auth.js and ended by logout", async () => {
    const [user] = await handle.db.insert(users).values({ email: "dee@rotor.example", name: "Dee" }).returning();
    const { token } = await createSession(handle.db, user!.id, new Date());
    const [row] = await rowsFor("dee@rotor.example");
    expect(row!.stored).toBe(sessionTokenDigest(token));
    expect(await whoHas(token)).toBe("dee@rotor.example");
    expect(await whoHas(row!.stored)).toBeNull();
    // Logout's id_token_hint is found from the cookie's token, never from the stored value.
    await handle.db
      .insert(accounts)
      .values({ userId: user!.id, type: "oidc", provider: "oidc", providerAccountId: "dee", id_token: "id-token-of-dee" });
    expect(await findOidcIdTokenForSession(handle.db, token)).toBe("id-token-of-dee");
    expect(await findOidcIdTokenForSession(handle.db, row!.stored)).toBeNull();
    await deleteSession(handle.db, token);
    expect(await rowsFor("dee@rotor.example")).toEqual([]);
    expect(await whoHas(token)).toBeNull();
  });
});

describe("each session knows when its person signed in (step-up, lib/auth/step-up.ts)", () => {
  it("a demo session's sign-in time is the instant it was created, until the session expires", async () => {
    const [user] = await handle.db.insert(users).values({ email: "eve@rotor.example", name: "Eve" }).returning();
    const at = new Date("2026-11-29T09:00:00.000Z");
    const { token, expires } = await createSession(handle.db, user!.id, at);
    expect(await findSessionSignInTime(handle.db, token, at)).toEqual(at);
    expect(await findSessionSignInTime(handle.db, token, new Date(expires.getTime() - 1))).toEqual(at);
    expect(await findSessionSignInTime(handle.db, token, expires)).toBeNull();
    // The stored digest is not a token, and an unknown token names no session.
    expect(await findSessionSignInTime(handle.db, sessionTokenDigest(token), at)).toBeNull();
    expect(await findSessionSignInTime(handle.db, "no-such-session", at)).toBeNull();
  });

  it("an Auth.js sign-in records when it happened, and extending the session does not move it", async () => {
    const before = new Date();
    const token = await signInByEmail("fay@rotor.example");
    const after = new Date();
    const signedInAt = await findSessionSignInTime(handle.db, token, after);
    expect(signedInAt).not.toBeNull();
    // The database's clock stamps the row; allow the two clocks a second apart.
    expect(signedInAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(signedInAt!.getTime()).toBeLessThanOrEqual(after.getTime() + 1000);
    const adapter = config.adapter!;
    await adapter.updateSession!({ sessionToken: token, expires: new Date(after.getTime() + 3_600_000) });
    expect(await findSessionSignInTime(handle.db, token, after)).toEqual(signedInAt);
  });

  it("signing in again by e-mail while signed in starts a new session with a new sign-in time", async () => {
    const first = await signInByEmail("gus@rotor.example");
    const [user] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, "gus@rotor.example"));
    await handle.db
      .update(sessions)
      .set({ authenticatedAt: new Date("2026-01-01T00:00:00Z") })
      .where(eq(sessions.userId, user!.id));
    const second = await signInByEmail("gus@rotor.example", first);
    expect(second).not.toBe(first);
    const now = new Date();
    expect(await findSessionSignInTime(handle.db, first, now)).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect((await findSessionSignInTime(handle.db, second, now))!.getTime()).toBeGreaterThan(new Date("2026-11-01T00:00:00Z").getTime());
  });
});
