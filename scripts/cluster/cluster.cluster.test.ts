import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aClient, aMember, anOrganisation, aSecret } from "@/db/testing/builders";
import { personOnPlatform } from "@/db/testing/contexts";
import { createPlatformApiToken } from "@/lib/api-tokens/api-tokens";
import { findUserByEmail } from "@/lib/data/users";
import { startFakeResend } from "@/lib/email/testing/fake-resend";
import { addEcKey, addKey, assertion, basic, jwtForm, provisionClient } from "@/lib/oauth/testing";
import { addDays, startOfDay, toCalendarDate } from "@/lib/rotation/calendar";
import { type Cluster, clusterUnavailable, startCluster, until } from "./harness";

/*
 * Issue 14, "Run it like a platform runs it": three self-hosted instances behind HAProxy and
 * PgBouncer (transaction pooling) over one Postgres database, started once for this file by
 * scripts/cluster/harness.ts. Each check talks to the instances the way a deployment's callers
 * do: through the balancer, or to one instance directly on its own port where the point is that
 * they agree.
 */

/** Short for this test: an instance's memory of the signing keys and accepted audiences (lib/oauth/machine.ts). */
const CACHE_SECONDS = 2;
/** A client change is read from the database on every request: nothing about a client is cached (docs/domain.md). */
const CLIENT_BOUND_SECONDS = 0;
/** "Within the bound", polled with a generous deadline on a busy machine: three bounds and a margin. */
const deadline = (boundSeconds: number) => (boundSeconds * 3 + 15) * 1000;
const MAIL_PORT = 4104;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

let cluster: Cluster;
let mail: Awaited<ReturnType<typeof startFakeResend>>;

beforeAll(async () => {
  const unavailable = clusterUnavailable();
  if (unavailable) throw new Error(`the cluster test needs: ${unavailable}`);
  mail = await startFakeResend({ port: MAIL_PORT });
  cluster = await startCluster({
    env: {
      ROTOR_MACHINE_CACHE_SECONDS: String(CACHE_SECONDS),
      RESEND_API_KEY: "re_cluster_test",
      RESEND_BASE_URL: mail.url,
      EMAIL_FROM: "Rotor <rotor@cluster.test>",
    },
  });
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await mail?.close();
}, 60_000);

const token = (base: string, init: { headers?: Record<string, string>; body: string }) =>
  fetch(`${base}/oauth/token`, { method: "POST", headers: { ...FORM, ...init.headers }, body: init.body });

async function whole(res: Response) {
  return { status: res.status, body: await res.json() };
}

const whoami = (base: string, accessToken: string) =>
  fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${accessToken}` } });

const jwks = async (base: string) => (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };

describe("three instances started together on a new deployment", () => {
  it("all issue tokens once their simultaneous first requests have made the first signing keys, within the key cache's bound", async () => {
    const c = await provisionClient(cluster.ctx, { audiences: [] });
    const ask = (base: string) =>
      token(base, { headers: { authorization: basic(c.clientId, c.secret) }, body: "grant_type=client_credentials" });
    // The first requests meet the making of the first keys: one instance makes them under the
    // signing-key lock while the others wait, having read their clocks a moment earlier; those
    // may answer 503 "no signing key is active yet" until their cache looks again
    // (lib/oauth/signing-keys.ts, INCOMPLETE_KEYS_TTL_MS).
    await Promise.all(cluster.instances.flatMap((i) => Array.from({ length: 4 }, () => ask(i.url))));
    const last: Record<string, number> = {};
    await until(
      async () => {
        for (const i of cluster.instances) last[i.name] = (await ask(i.url)).status;
        return Object.values(last).every((s) => s === 200);
      },
      deadline(CACHE_SECONDS),
      () => `not every instance issues tokens: ${JSON.stringify(last)}`,
    );
  });
});

describe("tokens through the balancer", () => {
  it("are issued for every client authentication method, and each verifies at every instance's whoami", async () => {
    const c = await provisionClient(cluster.ctx, { audiences: [], scopes: ["claims:read"] });
    const rsa = await addKey(cluster.ctx, c.clientId, "rsa");
    const ec = await addEcKey(cluster.ctx, c.clientId, "ec");
    const claims = { iss: c.clientId, sub: c.clientId, aud: cluster.url };
    const methods: Record<string, () => Promise<Response>> = {
      client_secret_basic: () =>
        token(cluster.url, { headers: { authorization: basic(c.clientId, c.secret) }, body: "grant_type=client_credentials" }),
      client_secret_post: () =>
        token(cluster.url, {
          body: new URLSearchParams({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }).toString(),
        }),
      "private_key_jwt (RSA, RS256)": async () =>
        token(cluster.url, { body: jwtForm(await assertion(rsa.privateKey, claims, { kid: "rsa" })).toString() }),
      "private_key_jwt (EC P-256, ES256)": async () =>
        token(cluster.url, { body: jwtForm(await assertion(ec.privateKey, claims, { alg: "ES256", kid: "ec" })).toString() }),
    };
    for (const [method, request] of Object.entries(methods)) {
      const issued = await whole(await request());
      expect(issued, method).toEqual({
        status: 200,
        body: { access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, scope: "claims:read" },
      });
      const accessToken = issued.body.access_token as string;
      const exp = JSON.parse(Buffer.from(accessToken.split(".")[1] as string, "base64url").toString()).exp;
      for (const instance of cluster.instances) {
        expect(await whole(await whoami(instance.url, accessToken)), `${method} at ${instance.name}`).toEqual({
          status: 200,
          body: {
            client_id: c.clientId,
            organisation: { slug: "northwind", name: "Northwind Insurance" },
            scope: "claims:read",
            aud: `${cluster.url}/api/v1`,
            exp,
          },
        });
      }
    }
  });

  it("a token issued by any one instance verifies at each of the others, and all publish the same JWKS", async () => {
    const c = await provisionClient(cluster.ctx, { audiences: [], scopes: ["claims:read"] });
    const published = await Promise.all(cluster.instances.map((i) => jwks(i.url)));
    expect(published[1]).toEqual(published[0]);
    expect(published[2]).toEqual(published[0]);
    for (const issuer of cluster.instances) {
      const issued = await whole(
        await token(issuer.url, { headers: { authorization: basic(c.clientId, c.secret) }, body: "grant_type=client_credentials" }),
      );
      expect(issued.status, issuer.name).toBe(200);
      for (const verifier of cluster.instances) {
        const res = await whoami(verifier.url, issued.body.access_token as string);
        expect({ from: issuer.name, at: verifier.name, status: res.status, client: (await res.json()).client_id }).toEqual({
          from: issuer.name,
          at: verifier.name,
          status: 200,
          client: c.clientId,
        });
      }
    }
  });
});

describe("one client assertion sent to all three instances at the same moment", () => {
  it("is accepted exactly once; the others get the replay answer", async () => {
    const c = await provisionClient(cluster.ctx, { audiences: [] });
    const k = await addKey(cluster.ctx, c.clientId, "k");
    for (let round = 0; round < 5; round++) {
      const body = jwtForm(await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: cluster.url }, { kid: "k" })).toString();
      const answers = await Promise.all(cluster.instances.map(async (i) => whole(await token(i.url, { body }))));
      const accepted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status !== 200);
      expect(accepted, `round ${round}`).toHaveLength(1);
      expect(refused, `round ${round}`).toEqual([
        ...Array(2).fill({
          status: 401,
          body: {
            error: "invalid_client",
            error_description: "This assertion's jti has already been used: sign a new assertion for every request.",
          },
        }),
      ]);
    }
  });
});

describe("the scheduler's cron route called on all three instances at once", () => {
  it("sends each reminder due today exactly once", async () => {
    const { db } = cluster.handle;
    const org = await anOrganisation(db, { slug: `cluster-${randomUUID().slice(0, 8)}` });
    const admin = `admin-${org.slug}@cluster.test`;
    await aMember(db, org, { role: "admin", email: admin });
    const today = toCalendarDate(new Date(), org.timeZone);
    // One secret per reminder offset, each expiring that many days from today: each owes exactly
    // one reminder today (the org does not auto-issue, so nothing else is mailed).
    const names: string[] = [];
    for (const daysLeft of org.reminderOffsets) {
      const client = await aClient(db, org, { name: `Cluster client (${daysLeft})` });
      const created = addDays(today, daysLeft - org.validityDays);
      await aSecret(db, org, client, cluster.keyRing, {
        createdAt: new Date(startOfDay(created, org.timeZone).getTime() + 12 * 3_600_000),
      });
      names.push(client.name);
    }
    const cron = (base: string) => fetch(`${base}/api/cron/rotation`, { headers: { authorization: `Bearer ${cluster.cronSecret}` } });
    const runs = await Promise.all(cluster.instances.map(async (i) => whole(await cron(i.url))));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);

    const ours = mail.requests.filter((m) => m.to.includes(admin));
    const clientOf = (subject: string) => names.filter((n) => subject.includes(n));
    expect(ours.map((m) => clientOf(m.subject)).sort()).toEqual(names.map((n) => [n]).sort());
    // Sent once each: one request per message, every idempotency key different.
    expect(new Set(ours.map((m) => m.idempotencyKey)).size).toBe(names.length);
    // And each run counted only the reminders it enqueued itself, so the three add up to ours
    // (and the demo's one due today).
    expect(runs.reduce((n, r) => n + r.body.reminders.secrets, 0)).toBe(names.length + 1);

    // Running again on every instance sends nothing more.
    const again = await Promise.all(cluster.instances.map(async (i) => whole(await cron(i.url))));
    expect(again.map((r) => r.body.reminders)).toEqual(Array(3).fill({ secrets: 0, keys: 0 }));
    expect(mail.requests.filter((m) => m.to.includes(admin))).toHaveLength(names.length);
  });
});

describe("a signing-key rotation", () => {
  it("is seen by every instance within the key cache's bound", async () => {
    const before = await jwks(cluster.url);
    // A week before the keys retire, the scheduler publishes their successors (lib/oauth/signing-keys.ts,
    // SUCCESSOR_LEAD_MS): bring the signing keys to six days before retirement, as 84 days of
    // service would, and let the cron route run on one instance.
    await cluster.handle.rawQuery(
      "update signing_key set retires_at = now() + interval '6 days', remove_after = now() + interval '6 days' + interval '25 hours' where activates_at <= now()",
      [],
    );
    const run = await fetch(`${cluster.instances[0]!.url}/api/cron/rotation`, {
      headers: { authorization: `Bearer ${cluster.cronSecret}` },
    });
    expect((await whole(run)).body.housekeeping.signingKeysCreated).toEqual(["ES256", "RS256"]);
    const oldKids = before.keys.map((k) => k.kid).sort();

    const seen: Record<string, string[]> = {};
    await until(
      async () => {
        for (const i of cluster.instances) seen[i.name] = (await jwks(i.url)).keys.map((k) => k.kid).sort();
        return Object.values(seen).every((kids) => kids.length === oldKids.length + 2);
      },
      deadline(CACHE_SECONDS),
      () => `not every instance publishes the successors: ${JSON.stringify(seen)}`,
    );
    const after = Object.values(seen);
    expect(after[1]).toEqual(after[0]);
    expect(after[2]).toEqual(after[0]);
    expect(after[0]!.filter((kid) => oldKids.includes(kid))).toEqual(oldKids);
  });
});

describe("a client disabled through one instance's management API", () => {
  it("is refused by all three within the bound, exactly as an unknown client", async () => {
    const c = await provisionClient(cluster.ctx, { audiences: [] });
    const asClient = (base: string) =>
      token(base, { headers: { authorization: basic(c.clientId, c.secret) }, body: "grant_type=client_credentials" });
    for (const i of cluster.instances) expect((await asClient(i.url)).status, i.name).toBe(200);

    // The operator disables it through the management API's operator endpoints, on one instance.
    const operator = await findUserByEmail(cluster.handle.db, "operator@rotor.example");
    const operatorCtx = personOnPlatform(cluster.handle.db, { userId: operator!.id, label: "operator", isOperator: true });
    const { value: platformToken } = await createPlatformApiToken(operatorCtx, { name: "cluster test", expiresInDays: 7 });
    const disabled = await fetch(`${cluster.instances[0]!.url}/api/v1/organisations/northwind/clients/${c.clientId}/disable`, {
      method: "POST",
      headers: { authorization: `Bearer ${platformToken}` },
    });
    expect(await whole(disabled)).toEqual({
      status: 200,
      body: {
        clientId: c.clientId,
        name: `Test ${c.clientId}`,
        scopes: ["claims:read", "claims:write"],
        audiences: [],
        defaultAudience: null,
        accessTokenLifetimeSeconds: 3600,
        accessTokenAlg: "ES256",
        legacyAudience: false,
        disabledAt: expect.any(String),
      },
    });

    const refused = { status: 401, body: { error: "invalid_client", error_description: "Client authentication failed." } };
    const last: Record<string, unknown> = {};
    await until(
      async () => {
        for (const i of cluster.instances) last[i.name] = await whole(await asClient(i.url));
        return Object.values(last).every((a) => JSON.stringify(a) === JSON.stringify(refused));
      },
      deadline(CLIENT_BOUND_SECONDS),
      () => `not refused everywhere: ${JSON.stringify(last)}`,
    );
    // Exactly the answer an unknown client gets.
    const unknown = await whole(
      await token(cluster.url, { headers: { authorization: basic("tnosuchclient0000", c.secret) }, body: "grant_type=client_credentials" }),
    );
    expect(unknown).toEqual(refused);
  });
});
