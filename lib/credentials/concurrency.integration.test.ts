import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { clientPublicKeys, clientSecrets, memberships, oauthClients, organisations } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { cliIn } from "@/db/testing/contexts";
import { holdRowLock, postgresServerConfigured, raceTest, runSql, waitForLockWaiters } from "@/db/testing/race";
import { createTestDatabase } from "@/db/testing/test-database";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import type { CredentialContext } from "@/lib/context";
import { digestSecret, generateClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { deactivateMember } from "@/lib/organisations/deactivate-member";
import { reactivateMember } from "@/lib/organisations/reactivate-member";
import { placeHolders, secretExpiry } from "@/lib/rotation/secret-state";
import { autoIssueDueSecrets } from "@/lib/scheduler/auto-issue";
import { TWO_LIVE_SECRETS } from "./issue-secret";
import { revokeSecret } from "./revoke-secret";
import { rotateSecret } from "./rotate-secret";

/*
 * The two-live rule and "rotate after a compromise" under real concurrency: a portal request and
 * a management API request on separate connection pools, lined up behind the client's row lock
 * (held by the test) and let go together, the interleaving a busy server produces by chance.
 * Every clock here is the real one, as in production: a use case that read it before waiting for
 * the lock would judge liveness at a stale instant (docs/domain.md, "Two live secrets").
 *
 * Two halves: the use cases alone keep the rules (the database's own limit is switched off for
 * that half), and the database alone keeps the limit against writers that take no lock at all.
 */

const keyRing = parseKeyRing(`race:${randomBytes(32).toString("base64")}`);
const DAY = 86_400_000;

interface Setup {
  url: string;
  portal: DatabaseHandle;
  api: DatabaseHandle;
  close(): Promise<void>;
}

async function setUp(): Promise<Setup | null> {
  if (!postgresServerConfigured()) return null;
  const portal = await createTestDatabase();
  await seedDemoData(portal.db, { now: new Date(), keyRing });
  const api = await openDatabase({ url: portal.url!, poolMode: env().DATABASE_POOL_MODE });
  return {
    url: portal.url!,
    portal,
    api,
    async close() {
      await api.close();
      await portal.close();
    },
  };
}

async function ctxFor(handle: DatabaseHandle, slug: string, via: "user" | "api_token"): Promise<CredentialContext> {
  const organisation = (await findOrganisationBySlug(handle.db, slug))!;
  return {
    db: handle.db,
    organisation,
    role: "spoc",
    isOperator: false,
    actor: { type: via, userId: null, label: via },
    clock: () => new Date(),
    keyRing,
  };
}

/** A client of its own with one secret, issued through the use case. */
async function clientWithOneSecret(s: Setup, slug = "northwind") {
  const ctx = await ctxFor(s.portal, slug, "user");
  const clientId = `race${randomBytes(8).toString("hex")}`;
  const [row] = await s.portal.db
    .insert(oauthClients)
    .values({ organisationId: ctx.organisation.id, clientId, name: clientId })
    .returning();
  const { secret } = await rotateSecret(ctx, { clientId, compromised: false });
  return { clientId, uuid: row!.id, firstSecretId: secret.id };
}

async function secretsOf(s: Setup, uuid: string) {
  return s.portal.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, uuid));
}

describe("the use cases alone keep the rules under concurrency", () => {
  let s: Setup | null = null;
  beforeAll(async () => {
    s = await setUp();
    // Only the use cases' own locking and clock are under test here.
    if (s) {
      await runSql(s.url, "drop trigger client_secret_at_most_two_live on client_secret");
      await runSql(s.url, "drop trigger client_public_key_at_most_two_live on client_public_key");
    }
  }, 120_000);
  afterAll(async () => s?.close());

  raceTest("two rotations that waited for the same lock leave two live secrets, and the later one is refused as a conflict", async () => {
    const setup = s!;
    const { clientId, uuid } = await clientWithOneSecret(setup);
    const lock = await holdRowLock(setup.url, "oauth_client", uuid);
    const portal = rotateSecret(await ctxFor(setup.portal, "northwind", "user"), { clientId, compromised: false });
    const api = rotateSecret(await ctxFor(setup.api, "northwind", "api_token"), { clientId, compromised: false });
    const settled = Promise.allSettled([portal, api]);
    await waitForLockWaiters(setup.url, 2);
    await lock.release();
    const results = await settled;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect(refused.reason).toMatchObject({ code: "conflict", message: TWO_LIVE_SECRETS });
    expect(placeHolders(await secretsOf(setup, uuid), new Date())).toHaveLength(2);
  });

  raceTest("a rotation and a revocation that waited for the lock act at the moment they got it, not when they arrived", async () => {
    const setup = s!;
    const { clientId, uuid, firstSecretId } = await clientWithOneSecret(setup);
    let lock = await holdRowLock(setup.url, "oauth_client", uuid);
    const rotation = rotateSecret(await ctxFor(setup.portal, "northwind", "user"), { clientId, compromised: false });
    const rotated = rotation.then(
      (r) => r,
      (e: unknown) => e,
    );
    await waitForLockWaiters(setup.url, 1);
    let released = new Date();
    await lock.release();
    const result = (await rotated) as Awaited<typeof rotation>;
    expect(result.secret.createdAt.getTime()).toBeGreaterThanOrEqual(released.getTime());

    lock = await holdRowLock(setup.url, "oauth_client", uuid);
    const revocation = revokeSecret(await ctxFor(setup.api, "northwind", "api_token"), { clientId, secretId: firstSecretId });
    const revoked = revocation.then(
      (r) => r,
      (e: unknown) => e,
    );
    await waitForLockWaiters(setup.url, 1);
    released = new Date();
    await lock.release();
    expect(((await revoked) as Awaited<typeof revocation>).revokedAt.getTime()).toBeGreaterThanOrEqual(released.getTime());
  });

  raceTest("a rotation after a compromise revokes the secret another rotation created while it waited", async () => {
    const setup = s!;
    const { clientId, uuid } = await clientWithOneSecret(setup);
    const lock = await holdRowLock(setup.url, "oauth_client", uuid);
    // The ordinary rotation queues first, the compromise second (row-lock waiters go in order).
    const ordinary = rotateSecret(await ctxFor(setup.portal, "northwind", "user"), { clientId, compromised: false });
    const settledOrdinary = ordinary.then(
      (r) => r,
      (e: unknown) => e,
    );
    await waitForLockWaiters(setup.url, 1);
    const compromise = rotateSecret(await ctxFor(setup.api, "northwind", "api_token"), { clientId, compromised: true });
    const settledCompromise = compromise.then(
      (r) => r,
      (e: unknown) => e,
    );
    await waitForLockWaiters(setup.url, 2);
    await lock.release();
    const first = await settledOrdinary;
    const after = await settledCompromise;
    expect(first).not.toBeInstanceOf(Error);
    expect(after).not.toBeInstanceOf(Error);
    const survivor = (after as Awaited<typeof compromise>).secret;
    const live = placeHolders(await secretsOf(setup, uuid), new Date());
    expect(live.map((x) => x.id)).toEqual([survivor.id]);
    // Both the first secret and the one the ordinary rotation made are revoked, as compromised.
    const revoked = (await secretsOf(setup, uuid)).filter((x) => x.id !== survivor.id);
    expect(revoked).toHaveLength(2);
    for (const x of revoked) expect(x).toMatchObject({ revokedReason: "compromised" });
  });

  raceTest("revoking both live secrets at once leaves one live, never none", async () => {
    const setup = s!;
    const { clientId, uuid, firstSecretId } = await clientWithOneSecret(setup);
    const { secret } = await rotateSecret(await ctxFor(setup.portal, "northwind", "user"), { clientId, compromised: false });
    const lock = await holdRowLock(setup.url, "oauth_client", uuid);
    const settled = Promise.allSettled([
      revokeSecret(await ctxFor(setup.portal, "northwind", "user"), { clientId, secretId: firstSecretId }),
      revokeSecret(await ctxFor(setup.api, "northwind", "api_token"), { clientId, secretId: secret.id }),
    ]);
    await waitForLockWaiters(setup.url, 2);
    await lock.release();
    const results = await settled;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/last live secret/),
    });
    expect(placeHolders(await secretsOf(setup, uuid), new Date())).toHaveLength(1);
  });

  raceTest("a designated user de-activated while their API call waited for the lock changes nothing", async () => {
    const setup = s!;
    const { clientId, uuid } = await clientWithOneSecret(setup);
    const spoc = (await findUserByEmail(setup.portal.db, "api-team@northwind.example"))!;
    const token = await createApiToken(
      setup.portal.db,
      { userId: spoc.id, label: "spoc" },
      { organisation: "northwind", name: "in flight", scope: "rotate", expiresInDays: 7 },
      new Date(),
    );
    const organisation = (await findOrganisationBySlug(setup.api.db, "northwind"))!;
    const viaToken: CredentialContext = {
      db: setup.api.db,
      organisation,
      role: "spoc",
      isOperator: false,
      actor: { type: "api_token", userId: spoc.id, tokenId: token.id, label: "spoc (API token)" },
      clock: () => new Date(),
      keyRing,
    };
    const lock = await holdRowLock(setup.url, "oauth_client", uuid);
    const waiting = rotateSecret(viaToken, { clientId, compromised: true }).then(
      (r) => r,
      (e: unknown) => e,
    );
    await waitForLockWaiters(setup.url, 1);
    const [membership] = await setup.portal.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, spoc.id), eq(memberships.organisationId, organisation.id)));
    await deactivateMember(cliIn(setup.portal.db, organisation), { membershipId: membership!.id });
    await lock.release();
    expect(await waiting).toMatchObject({ code: "forbidden" });
    expect(placeHolders(await secretsOf(setup, uuid), new Date())).toHaveLength(1);
    await reactivateMember(cliIn(setup.portal.db, organisation), { membershipId: membership!.id });
    await setup.portal.db.update(memberships).set({ role: "spoc" }).where(eq(memberships.id, membership!.id));
  });

  raceTest("the scheduler does not issue a successor to a secret revoked after a compromise while it ran", async () => {
    const setup = s!;
    // An auto-issue organisation whose client's one secret is inside its overlap window.
    const now = new Date();
    const [org] = await setup.portal.db
      .insert(organisations)
      .values({ slug: `race-${randomBytes(4).toString("hex")}`, name: "Race auto-issue", autoIssue: true })
      .returning();
    const [client] = await setup.portal.db
      .insert(oauthClients)
      .values({ organisationId: org!.id, clientId: `race${randomBytes(8).toString("hex")}`, name: "due" })
      .returning();
    const createdAt = new Date(now.getTime() - 170 * DAY);
    const value = generateClientSecret();
    const [old] = await setup.portal.db
      .insert(clientSecrets)
      .values({
        clientId: client!.id,
        digest: digestSecret(value),
        maskedTail: secretTail(value),
        createdAt,
        expiresAt: secretExpiry(createdAt, { timeZone: org!.timeZone, validityDays: 180, overlapDays: 30 }).expiresAt,
        issuedBy: "seed",
      })
      .returning();
    // A person's compromise rotation, by hand inside the lock: the old secret revoked, a new one.
    const lock = await holdRowLock(setup.url, "oauth_client", client!.id);
    const fresh = generateClientSecret();
    await lock.sql("update client_secret set revoked_at = $1, revoked_reason = 'compromised' where id = $2", [now.toISOString(), old!.id]);
    await lock.sql(
      "insert into client_secret (client_id, digest, masked_tail, created_at, expires_at, issued_by) values ($1, $2, $3, $4, $5, 'user')",
      [client!.id, digestSecret(fresh), secretTail(fresh), now.toISOString(), new Date(now.getTime() + 180 * DAY).toISOString()],
    );
    const run = autoIssueDueSecrets(setup.api.db, keyRing, now);
    const settled = run.then(
      (n) => n,
      (e: unknown) => e,
    );
    await waitForLockWaiters(setup.url, 1);
    await lock.release();
    await settled;
    const rows = await setup.portal.db
      .select()
      .from(clientSecrets)
      .where(and(eq(clientSecrets.clientId, client!.id), eq(clientSecrets.issuedBy, "auto")));
    expect(rows).toEqual([]);
    expect(placeHolders(await secretsOf(setup, client!.id), new Date())).toHaveLength(1);
  });
});

/** A secret written straight into the table, as the scheduler's SQL or a future code path would. */
function rawSecret(sql: postgres.Sql | postgres.ReservedSql, clientUuid: string, createdAt: Date, expiresAt: Date) {
  const value = generateClientSecret();
  return sql.unsafe(
    "insert into client_secret (client_id, digest, masked_tail, created_at, expires_at, issued_by) values ($1, $2, $3, $4, $5, 'cli')",
    [clientUuid, digestSecret(value), secretTail(value), createdAt.toISOString(), expiresAt.toISOString()],
  );
}

function rawKey(sql: postgres.Sql | postgres.ReservedSql, clientUuid: string, createdAt: Date) {
  const kid = `k${randomBytes(6).toString("hex")}`;
  return sql.unsafe(
    `insert into client_public_key (client_id, kid, alg, key_type, jwk, thumbprint, bits, created_at) values ($1, $2, 'RS256', 'RSA', '{"kty":"RSA"}', $3, 2048, $4)`,
    [clientUuid, kid, randomBytes(16).toString("hex"), createdAt.toISOString()],
  );
}

describe("the database alone refuses a third live credential", () => {
  let s: Setup | null = null;
  beforeAll(async () => {
    s = await setUp();
  }, 120_000);
  afterAll(async () => s?.close());

  async function twoWriters(url: string, write: (sql: postgres.ReservedSql) => Promise<unknown>) {
    const a = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
    const b = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
    const first = await a.reserve();
    const second = await b.reserve();
    try {
      await first.unsafe("begin");
      await second.unsafe("begin");
      await write(first);
      const late = write(second).then(
        () => null,
        (e: unknown) => e as { code?: string; constraint_name?: string },
      );
      await waitForLockWaiters(url, 1);
      await first.unsafe("commit");
      const error = await late;
      await second.unsafe(error ? "rollback" : "commit");
      return error;
    } finally {
      first.release();
      second.release();
      await a.end();
      await b.end();
    }
  }

  raceTest("two writers that each saw one live secret cannot both add one: the second is refused with 23P01", async () => {
    const setup = s!;
    const { uuid } = await clientWithOneSecret(setup);
    const now = new Date();
    const error = await twoWriters(setup.url, (sql) => rawSecret(sql, uuid, now, new Date(now.getTime() + 180 * DAY)));
    expect(error).toMatchObject({ code: "23P01", constraint_name: "client_secret_at_most_two_live" });
    expect(placeHolders(await secretsOf(setup, uuid), new Date())).toHaveLength(2);
  });

  raceTest("two writers that each saw one live key cannot both add one", async () => {
    const setup = s!;
    const { uuid } = await clientWithOneSecret(setup);
    const now = new Date();
    const direct = postgres(setup.url, { max: 1, onnotice: () => {}, prepare: false });
    await rawKey(direct, uuid, now);
    await direct.end();
    const error = await twoWriters(setup.url, (sql) => rawKey(sql, uuid, now));
    expect(error).toMatchObject({ code: "23P01", constraint_name: "client_public_key_at_most_two_live" });
    const keys = await setup.portal.db.select().from(clientPublicKeys).where(eq(clientPublicKeys.clientId, uuid));
    expect(keys).toHaveLength(2);
  });
});

describe("the database's two-live limit, one writer at a time (any database)", () => {
  let handle: DatabaseHandle;
  let orgId: string;
  beforeAll(async () => {
    handle = await createTestDatabase();
    const [org] = await handle.db.insert(organisations).values({ slug: "limits", name: "Limits" }).returning();
    orgId = org!.id;
  });
  afterAll(async () => handle?.close());

  async function client(): Promise<string> {
    const [row] = await handle.db
      .insert(oauthClients)
      .values({ organisationId: orgId, clientId: `lim${randomBytes(8).toString("hex")}`, name: "limits" })
      .returning();
    return row!.id;
  }

  async function insert(clientUuid: string, createdAt: Date, expiresAt: Date, revokedAt: Date | null = null) {
    const value = generateClientSecret();
    return handle.db
      .insert(clientSecrets)
      .values({
        clientId: clientUuid,
        digest: digestSecret(value),
        maskedTail: secretTail(value),
        createdAt,
        expiresAt,
        revokedAt,
        issuedBy: "cli",
      })
      .returning()
      .then((r) => r[0]!);
  }

  const t = (days: number) => new Date(Date.UTC(2026, 0, 1) + days * DAY);
  const refusedCode = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: { code?: string; cause?: { code?: string } }) => e.cause?.code ?? e.code,
    );

  it("counts a secret made on an instance whose clock runs ahead: a rotation from one five seconds behind is refused", async () => {
    const [org] = await handle.db
      .insert(organisations)
      .values({ slug: `skew-${randomBytes(3).toString("hex")}`, name: "Skew" })
      .returning();
    const organisation = (await findOrganisationBySlug(handle.db, org!.slug))!;
    const clientId = `skew${randomBytes(8).toString("hex")}`;
    await handle.db.insert(oauthClients).values({ organisationId: organisation.id, clientId, name: "skew" });
    const ahead: CredentialContext = {
      db: handle.db,
      organisation,
      role: "spoc",
      isOperator: false,
      actor: { type: "user", userId: null, label: "portal" },
      clock: () => new Date(),
      keyRing,
    };
    const behind: CredentialContext = {
      ...ahead,
      actor: { type: "api_token", userId: null, label: "api" },
      clock: () => new Date(Date.now() - 5_000),
    };
    await rotateSecret(ahead, { clientId, compromised: false });
    await rotateSecret(ahead, { clientId, compromised: false });
    await expect(rotateSecret(behind, { clientId, compromised: false })).rejects.toMatchObject({
      code: "conflict",
      message: TWO_LIVE_SECRETS,
    });
    const compromise = await rotateSecret(behind, { clientId, compromised: true });
    expect(compromise.revokedSecretIds).toHaveLength(2);
  });

  it("refuses a third secret accepted at the same instant as two others", async () => {
    const c = await client();
    await insert(c, t(0), t(180));
    await insert(c, t(150), t(330));
    expect(await refusedCode(insert(c, t(160), t(340)))).toBe("23P01");
  });

  it("refuses a back-dated secret whose window covers the overlap of two others", async () => {
    const c = await client();
    await insert(c, t(100), t(280));
    await insert(c, t(250), t(430));
    expect(await refusedCode(insert(c, t(0), t(300)))).toBe("23P01");
  });

  it("allows a third secret once one of the two has expired or been revoked, and revoking or shortening always", async () => {
    const c = await client();
    const a = await insert(c, t(0), t(180));
    const b = await insert(c, t(150), t(330));
    expect(await refusedCode(insert(c, t(180), t(360)))).toBeNull();
    await handle.db
      .update(clientSecrets)
      .set({ expiresAt: t(170) })
      .where(eq(clientSecrets.id, a.id));
    await handle.db
      .update(clientSecrets)
      .set({ revokedAt: t(200) })
      .where(eq(clientSecrets.id, b.id));
    expect(await refusedCode(insert(c, t(200), t(380)))).toBeNull();
  });

  it("refuses a new secret written under REPEATABLE READ, where its count could miss a row committed meanwhile", async () => {
    const c = await client();
    const refused = await handle.db
      .transaction(
        async (tx) => {
          const value = generateClientSecret();
          await tx.insert(clientSecrets).values({
            clientId: c,
            digest: digestSecret(value),
            maskedTail: secretTail(value),
            createdAt: t(0),
            expiresAt: t(180),
            issuedBy: "cli",
          });
        },
        { isolationLevel: "repeatable read" },
      )
      .then(
        () => null,
        (e: { code?: string; cause?: { code?: string } }) => e.cause?.code ?? e.code,
      );
    expect(refused).toBe("25000");
    // The same write under READ COMMITTED, the default, goes through.
    expect(await refusedCode(insert(c, t(0), t(180)))).toBeNull();
  });

  it("refuses un-revoking a secret when that would make three", async () => {
    const c = await client();
    const a = await insert(c, t(0), t(180), t(10));
    await insert(c, t(10), t(190));
    await insert(c, t(20), t(200));
    expect(await refusedCode(handle.db.update(clientSecrets).set({ revokedAt: null }).where(eq(clientSecrets.id, a.id)))).toBe("23P01");
  });
});
