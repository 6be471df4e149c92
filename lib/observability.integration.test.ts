import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BlockList } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { setJwksUri } from "@/lib/credentials/set-jwks-uri";
import { encrypt, parseKeyRing } from "@/lib/crypto/encryption";
import { outboxLinkCipherContext } from "@/lib/data/cipher-contexts";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { deliverMessage } from "@/lib/email/outbox";
import { startFakeResend } from "@/lib/email/testing/fake-resend";
import { resendTransport } from "@/lib/email/transport";
import { parseEnv } from "@/lib/env";
import { sendLogsTo } from "@/lib/log/logger";
import { createMetricsEndpoint } from "@/lib/metrics/endpoint";
import { readDeliveryGauges } from "@/lib/metrics/read-gauges";
import { seriesValue } from "@/lib/metrics/testing";
import { createMachine, type Machine } from "@/lib/oauth/machine";
import { machineListener } from "@/lib/oauth/node-adapter";
import { addKey, assertion, basic, cliContext, jwtForm, provisionClient, typoOf } from "@/lib/oauth/testing";
import { buildRateLimits } from "@/lib/rate-limit/runtime";
import { runScheduler } from "@/lib/scheduler/run-scheduler";

/*
 * docs/observability.md, end to end in one process: a realistic run (secrets issued and rotated, a
 * key registered, tokens asked for with every client authentication method, right and wrong,
 * assertions replayed and forged, revocations, a JWKS URL that fails, a scheduler run that mails
 * reminders through the real Resend SDK to a local fake, a sign-in link delivered after a failed
 * attempt) with every log line captured. Then:
 * - not one secret, token, assertion, sign-in link or private-key parameter the run made appears
 *   anywhere in the log (docs/architecture.md, convention 5), and the log is not empty: JSON lines,
 *   the request lines carrying their request id;
 * - GET /metrics (bearer-protected) shows each listed series with the counts the run made.
 */

const ISSUER = "https://auth.rotor.test";
const METRICS_TOKEN = randomBytes(32).toString("hex");
const ADDRESS = "203.0.113.7";
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
const now = new Date();

let handle: DatabaseHandle;
let org: OrganisationDto;
let machine: Machine;
let server: Server;
let base: string;
let resend: Awaited<ReturnType<typeof startFakeResend>>;
let restoreLog: () => void;
const logText: string[] = [];
/** Every value the run made that must never be logged. */
const secrets = new Set<string>();
let before = "";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const post = (body: URLSearchParams, headers: Record<string, string> = {}) =>
  fetch(`${base}/oauth/token`, { method: "POST", headers: { ...FORM, ...headers }, body });
const scrape = (authorization?: string) => fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
const metricsText = async () => (await scrape(`Bearer ${METRICS_TOKEN}`)).text();

beforeAll(async () => {
  restoreLog = sendLogsTo(
    new Writable({
      write(chunk, _encoding, done) {
        logText.push(String(chunk));
        done();
      },
    }),
    "trace",
  );
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing });
  org = (await findOrganisationBySlug(handle.db, "northwind"))!;
  resend = await startFakeResend();
  // The failure limit per address is tight, so the run meets a refusal; a refused answer is not held.
  const limits = buildRateLimits(parseEnv({ ROTOR_LIMIT_TOKEN_FAILURES_PER_ADDRESS: "6/60" }, process.cwd()), handle);
  machine = createMachine({
    db: handle.db,
    keyRing,
    issuer: ISSUER,
    background: false,
    guard: limits.clientAuth,
    addressOf: () => ADDRESS,
    hold: async () => {},
    fetchJwks: async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:9");
    },
  });
  const metrics = createMetricsEndpoint({ token: () => METRICS_TOKEN, readOutbox: () => readDeliveryGauges(handle.db, new Date()) });
  server = createServer(machineListener({ ...machine.routes, "/metrics": metrics }, ISSUER, { proxies: new BlockList() }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  before = await metricsText();
});
afterAll(async () => {
  restoreLog?.();
  await new Promise((resolve) => server?.close(resolve));
  await machine?.stop();
  await resend?.close();
  await handle?.close();
});

const ctx = () => cliContext(handle.db, org, keyRing);

/** The run: what an integrator, a designated user and the scheduler do on an ordinary day, and some attacks. */
async function realisticRun() {
  // Secrets: issued, rotated, one of them revoked later.
  const client = await provisionClient(ctx());
  secrets.add(client.secret);
  const rotated = await rotateSecret(ctx(), { clientId: client.clientId, compromised: false });
  secrets.add(rotated.secret.value);
  const other = await provisionClient(ctx());
  secrets.add(other.secret);

  // A key registered; its private half's parameters are secrets too.
  const key = await addKey(ctx(), client.clientId, "obs-key-1");
  const jwk = key.privateKey.export({ format: "jwk" });
  for (const param of ["d", "p", "q", "dp", "dq", "qi"] as const) secrets.add(String(jwk[param]));

  // client_secret_basic and client_secret_post, right and wrong.
  const ok = await post(new URLSearchParams({ grant_type: "client_credentials" }), {
    authorization: basic(client.clientId, rotated.secret.value),
  });
  expect(ok.status).toBe(200);
  const okToken = ((await ok.json()) as { access_token: string }).access_token;
  secrets.add(okToken);
  const posted = await post(
    new URLSearchParams({ grant_type: "client_credentials", client_id: other.clientId, client_secret: other.secret }),
  );
  expect(posted.status).toBe(200);
  secrets.add(((await posted.json()) as { access_token: string }).access_token);
  const wrong = typoOf(client.secret);
  secrets.add(wrong);
  // The Authorization headers too: base64 would carry a secret past a search for its plain text.
  for (const [id, secret] of [
    [client.clientId, rotated.secret.value],
    [client.clientId, wrong],
    [other.clientId, wrong],
  ] as const) {
    secrets.add(basic(id, secret).slice("Basic ".length));
  }
  expect(
    (await post(new URLSearchParams({ grant_type: "client_credentials" }), { authorization: basic(client.clientId, wrong) })).status,
  ).toBe(401);
  expect(
    (await post(new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: other.secret }))).status,
  ).toBe(401);

  // private_key_jwt: accepted once, then replayed; a forged one; one naming a kid only a (failing) JWKS URL could have.
  const claims = { iss: client.clientId, sub: client.clientId, aud: ISSUER };
  const signed = await assertion(key.privateKey, claims, { kid: key.kid });
  secrets.add(signed);
  const jwtOk = await post(jwtForm(signed));
  expect(jwtOk.status).toBe(200);
  secrets.add(((await jwtOk.json()) as { access_token: string }).access_token);
  expect((await post(jwtForm(signed))).status).toBe(401);
  const forger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const forged = await assertion(forger, claims, { kid: key.kid });
  secrets.add(forged);
  expect((await post(jwtForm(forged))).status).toBe(401);
  await setJwksUri(ctx(), { clientId: client.clientId, jwksUri: "http://127.0.0.1:9/jwks.json" });
  const unknownKid = await assertion(forger, claims, { kid: "published-only" });
  secrets.add(unknownKid);
  expect((await post(jwtForm(unknownKid))).status).toBe(401);

  // The protected API with the token, and with one whose signature was tampered with.
  const whoami = await fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${okToken}` } });
  expect(whoami.status).toBe(200);
  expect((await fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${typoOf(okToken)}` } })).status).toBe(401);

  // A flood of wrong secrets from one address until the failure limit refuses it.
  let refused = 0;
  for (let i = 0; i < 4; i++) {
    const answer = await post(new URLSearchParams({ grant_type: "client_credentials" }), { authorization: basic(other.clientId, wrong) });
    if (answer.status === 429) refused++;
  }
  expect(refused).toBeGreaterThan(0);

  // Revocations.
  await revokeSecret(ctx(), { clientId: client.clientId, secretId: client.secretId });
  await revokePublicKey(ctx(), { clientId: client.clientId, keyId: key.keyId });

  // A sign-in link, as lib/auth/email-sign-in.ts queues it; the provider fails the first time.
  const link = `${ISSUER}/api/auth/callback/email?token=${randomBytes(32).toString("hex")}&email=alice.admin%40northwind.example`;
  secrets.add(link);
  secrets.add(new URL(link).searchParams.get("token")!);
  const id = randomUUID();
  await handle.db.insert(emailOutbox).values({
    id,
    kind: "sign_in_link",
    toAddresses: ["alice.admin@northwind.example"],
    subject: "Your sign-in link",
    template: "sign-in-link",
    data: { sealedUrl: encrypt(link, keyRing, outboxLinkCipherContext(id)), minutes: 10, service: "Rotor" },
    createdAt: now,
    nextAttemptAt: now,
  });
  const transport = resendTransport({ apiKey: "re_test", baseUrl: resend.url, from: "Rotor <rotor@example.com>" });
  resend.setFailing(true);
  expect(await deliverMessage(handle.db, transport, id, { now, publicUrl: ISSUER, keyRing })).toBe("retrying");
  resend.setFailing(false);

  // The scheduler: the demo data's due reminder (and the retried sign-in link) mailed through the real SDK.
  const summary = await runScheduler({ db: handle.db, keyRing, publicUrl: ISSUER, transport }, new Date(now.getTime() + 6 * 60_000));
  expect(summary.reminders.secrets).toBeGreaterThan(0);
  expect(summary.email?.sent).toBeGreaterThan(0);
  expect(resend.requests.some((r) => r.text.includes(link))).toBe(true);
  return { summary, refused, issuedByCli: 3 };
}

let run: Awaited<ReturnType<typeof realisticRun>>;

describe("a full run's logs", () => {
  it("are JSON lines, with a request id on every request line", async () => {
    run = await realisticRun();
    await machine.usage.flush();
    const lines = logText
      .join("")
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === "request");
    // 4 secret requests, 4 assertion requests, 2 whoami, 4 in the flood, and the metrics scrape before the run.
    expect(requests.length).toBeGreaterThanOrEqual(15);
    for (const line of requests) expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(requests.map((l) => l.requestId)).size).toBe(requests.length);
    // What went wrong is logged, with the request it belongs to.
    const invalidClient = lines.filter((l) => typeof l.msg === "string" && l.msg.startsWith("token endpoint: invalid_client"));
    expect(invalidClient.length).toBeGreaterThan(0);
    for (const line of invalidClient) expect(requests.map((r) => r.requestId)).toContain(line.requestId);
    expect(lines.some((l) => String(l.msg).startsWith("client jwks: fetch for client"))).toBe(true);
    expect(lines.some((l) => l.msg === "mail delivery failed: will retry" && l.kind === "sign_in_link")).toBe(true);
    expect(lines.some((l) => l.msg === "scheduler run")).toBe(true);
  });

  it("hold none of the secrets, tokens, assertions, sign-in links or private-key parameters the run made", () => {
    const text = logText.join("");
    expect(secrets.size).toBeGreaterThanOrEqual(18);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(16);
      expect(text.includes(secret), `a secret of ${secret.length} characters was logged`).toBe(false);
    }
    expect(text).not.toContain(METRICS_TOKEN);
  });
});

describe("GET /metrics after token requests and a scheduler run", () => {
  it("is refused without the bearer token, with a challenge", async () => {
    for (const authorization of [undefined, `Bearer ${typoOf(METRICS_TOKEN)}`]) {
      const answer = await scrape(authorization);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(answer.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("shows each listed series with the run's counts", async () => {
    const after = await metricsText();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      seriesValue(after, name, labels) - seriesValue(before, name, labels);
    const tokens = (auth_method: string, result: string) => delta("rotor_token_requests_total", { auth_method, result });
    expect(tokens("client_secret_basic", "success")).toBe(1);
    expect(tokens("client_secret_post", "success")).toBe(1);
    expect(tokens("private_key_jwt", "success")).toBe(1);
    expect(tokens("client_secret_basic", "invalid_client")).toBe(1 + 4 - run.refused);
    expect(tokens("client_secret_basic", "temporarily_unavailable")).toBe(run.refused);
    expect(tokens("client_secret_post", "invalid_client")).toBe(1);
    expect(tokens("private_key_jwt", "invalid_client")).toBe(3);
    expect(delta("rotor_token_request_duration_seconds_count", { auth_method: "private_key_jwt" })).toBe(4);
    expect(delta("rotor_token_request_duration_seconds_bucket", { auth_method: "client_secret_basic", le: "+Inf" })).toBe(6);
    expect(delta("rotor_client_auth_failures_total", { reason: "secret_rejected" })).toBe(2 + 4 - run.refused);
    expect(delta("rotor_client_auth_failures_total", { reason: "assertion_replayed" })).toBe(1);
    expect(delta("rotor_client_auth_failures_total", { reason: "assertion_rejected" })).toBe(2);
    expect(delta("rotor_rate_limit_refusals_total", { limit: "token_failures_per_address" })).toBe(run.refused);
    expect(delta("rotor_jwks_fetch_failures_total")).toBe(1);
    expect(delta("rotor_secrets_issued_total", { how: "cli" })).toBe(run.issuedByCli);
    expect(delta("rotor_secrets_issued_total", { how: "auto" })).toBe(run.summary.autoIssued);
    expect(delta("rotor_scheduler_runs_total", { result: "success" })).toBe(1);
    expect(delta("rotor_scheduler_runs_total", { result: "failure" })).toBe(0);
    expect(delta("rotor_scheduler_run_duration_seconds_count")).toBe(1);
    expect(seriesValue(after, "rotor_scheduler_last_success_timestamp_seconds")).toBeGreaterThan(now.getTime() / 1000 - 60);
    expect(delta("rotor_reminders_enqueued_total", { kind: "secret" })).toBe(run.summary.reminders.secrets);
    expect(delta("rotor_reminders_enqueued_total", { kind: "key" })).toBe(run.summary.reminders.keys);
    expect(delta("rotor_mail_deliveries_total", { result: "sent" })).toBe(run.summary.email?.sent);
    // The outbox, read at scrape time: everything due went out.
    expect(after).toMatch(/^rotor_outbox_pending_messages \d+$/m);
    expect(after).toMatch(/^rotor_outbox_oldest_pending_age_seconds [\d.]+$/m);
    expect(after).toMatch(/^rotor_outbox_dead_messages \d+$/m);
    expect(after).toMatch(/^rotor_webhook_pending_deliveries \d+$/m);
    expect(after).toMatch(/^rotor_webhook_deliveries_total\{result="sent"\} \d+$/m);
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
