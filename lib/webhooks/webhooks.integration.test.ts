import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { exportSPKI, generateKeyPair } from "jose";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, emailOutbox, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { aClient, aMember, anOperator, anOrganisation, aPublicKey, aSecret } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { rotorWebhookHandler } from "@/docs/examples/webhook-receiver";
import { disableClient } from "@/lib/clients/disable-client";
import type { CredentialContext, PlatformContext } from "@/lib/context";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import type { UserDto } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import type { OutboundLimits } from "@/lib/http/outbound";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { createEndpoint } from "./create-endpoint";
import { drainWebhooks } from "./deliver";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from "./event-types";
import { FAILING_FOR_MS, FAILURES_BEFORE_DISABLE, webhookLimits } from "./policy";
import { readEndpoint } from "./read-endpoints";
import { replayDelivery } from "./replay-delivery";
import { rotateEndpointSecret } from "./rotate-endpoint-secret";
import { sendTestEvent } from "./send-test-event";
import { setEndpointEnabled } from "./set-endpoint-enabled";
import type { WebhookContext } from "./webhook-context";

/*
 * Webhooks end to end below the portal (docs/webhooks.md): a change made through a use case
 * records its event in the same transaction (the database's triggers, migration 0023), delivery
 * signs it by Standard Webhooks and a real HTTP receiver verifies it with the same library; the
 * outbox's retry, give-up and turn-off rules; the scheduler's expiring and still-in-use events.
 */

const keyRing = parseKeyRing(`test:${randomBytes(32).toString("base64")}`);
const limits: OutboundLimits = webhookLimits({ ROTOR_ENV: "test" });
let handle: DatabaseHandle;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on localhost: records every request and answers with the next queued status (200 when none). */
class Receiver {
  requests: Received[] = [];
  statuses: number[] = [];
  private server: Server | null = null;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end(res.statusCode === 200 ? "ok" : "receiver says no");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every request's body, verified with `secret` by the standardwebhooks library; throws on a bad signature. */
  verified(secret: string): { type: string; timestamp: string; data: Record<string, unknown> }[] {
    return this.requests.map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as never);
  }

  types(secret: string): string[] {
    return this.verified(secret).map((e) => e.type);
  }
}

const receivers: Receiver[] = [];
async function aReceiver(): Promise<Receiver> {
  const r = new Receiver();
  await r.start();
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
  await handle?.close();
});

function asPerson(person: UserDto, organisation: OrganisationDto, role: "admin" | "spoc" | "member", at = new Date()): CredentialContext {
  return {
    db: handle.db,
    organisation,
    role,
    isOperator: false,
    actor: { type: "user", userId: person.id, label: person.email ?? person.id },
    clock: () => at,
    keyRing,
  };
}

const webhookCtx = (ctx: CredentialContext | (PlatformContext & { keyRing: typeof keyRing })): WebhookContext => ({ ...ctx, limits });

async function anOrganisationWithSpoc(overrides: Parameters<typeof anOrganisation>[1] = {}) {
  const organisation = await anOrganisation(handle.db, overrides);
  const { user: spoc } = await aMember(handle.db, organisation, { role: "spoc" });
  const client = await aClient(handle.db, organisation);
  const secret = await aSecret(handle.db, organisation, client, keyRing);
  return { organisation, spoc, client, secret, ctx: asPerson(spoc, organisation, "spoc") };
}

const deliverAll = (now = new Date()) => drainWebhooks(handle.db, keyRing, { now, limits, concurrency: 2 });

describe("events reach the endpoints subscribed to them, signed", () => {
  it("a rotation is secret.issued, with the new and the previous secret by masked value, and verifies with the endpoint's secret", async () => {
    const { organisation, client, secret, ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    const { signingSecret } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["secret.issued", "secret.revoked"],
    });
    const rotated = await rotateSecret(ctx, { clientId: client.clientId, compromised: false, label: "March" });
    await deliverAll();

    const [event] = receiver.verified(signingSecret);
    expect(receiver.requests).toHaveLength(1);
    expect(event).toEqual({
      type: "secret.issued",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        organisation: { id: organisation.id, slug: organisation.slug, name: organisation.name },
        client: { clientId: client.clientId, name: client.name },
        reason: "rotated",
        secret: {
          id: rotated.secret.id,
          maskedValue: expect.any(String),
          label: "March",
          issuedBy: "user",
          createdAt: rotated.secret.createdAt.toISOString(),
          expiresAt: rotated.secret.expiresAt.toISOString(),
          expiresOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
          revokedAt: null,
          lastUsedAt: null,
        },
        previousSecret: expect.objectContaining({ id: secret.id, maskedValue: secret.maskedTail, revokedAt: null }),
      },
    });
    expect(rotated.secret.value.endsWith((event!.data.secret as { maskedValue: string }).maskedValue)).toBe(true);
    // The body never holds a secret's value.
    expect(receiver.requests[0]!.body).not.toContain(rotated.secret.value);
    expect(receiver.requests[0]!.body).not.toContain(secret.value);
    expect(receiver.requests[0]!.headers["webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a rotation after a compromise is secret.issued and secret.revoked for each secret it revoked", async () => {
    const { client, secret, ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    const { signingSecret } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["secret.issued", "secret.revoked"],
    });
    await rotateSecret(ctx, { clientId: client.clientId, compromised: true });
    await deliverAll();
    const events = receiver.verified(signingSecret);
    expect(events.map((e) => e.type).sort()).toEqual(["secret.issued", "secret.revoked"]);
    const revoked = events.find((e) => e.type === "secret.revoked")!;
    expect(revoked.data.secret).toEqual(expect.objectContaining({ id: secret.id, revokedAt: expect.any(String) }));
  });

  it("only the chosen events are sent: an endpoint for secret.revoked hears nothing of a rotation, then hears the revocation", async () => {
    const { client, ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    const { signingSecret } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["secret.revoked"],
    });
    const rotated = await rotateSecret(ctx, { clientId: client.clientId, compromised: false });
    await deliverAll();
    expect(receiver.requests).toHaveLength(0);
    await revokeSecret(ctx, { clientId: client.clientId, secretId: rotated.secret.id, confirmClientId: client.clientId });
    await deliverAll();
    expect(receiver.types(signingSecret)).toEqual(["secret.revoked"]);
  });

  it("key.registered and key.revoked name the key by kid, thumbprint and algorithm", async () => {
    const { client, ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    const { signingSecret } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["key.registered", "key.revoked"],
    });
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const key = await registerPublicKey(ctx, { clientId: client.clientId, key: await exportSPKI(publicKey), kid: "signer-1" });
    await revokePublicKey(ctx, { clientId: client.clientId, keyId: key.id });
    await deliverAll();
    const events = receiver.verified(signingSecret);
    expect(events.map((e) => e.type).sort()).toEqual(["key.registered", "key.revoked"]);
    for (const e of events) {
      expect(e.data.key).toEqual(expect.objectContaining({ id: key.id, kid: "signer-1", alg: "ES256", thumbprint: expect.any(String) }));
    }
  });

  it("an organisation's endpoint hears only its own organisation; a platform-wide endpoint hears every organisation", async () => {
    const a = await anOrganisationWithSpoc();
    const b = await anOrganisationWithSpoc();
    const operator = await anOperator(handle.db);
    const ownReceiver = await aReceiver();
    const platformReceiver = await aReceiver();
    const own = await createEndpoint(webhookCtx(a.ctx), { url: ownReceiver.url, description: null, eventTypes: ["client.changed"] });
    const platformCtx = {
      db: handle.db,
      actor: { type: "user" as const, userId: operator.id, label: operator.email! },
      isOperator: true,
      clock: () => new Date(),
      keyRing,
    };
    const platform = await createEndpoint(webhookCtx(platformCtx), {
      url: platformReceiver.url,
      description: "SIEM",
      eventTypes: ["client.changed"],
    });
    for (const o of [a, b])
      await disableClient({ ...platformCtx, organisation: o.organisation, role: null }, { clientId: o.client.clientId });
    await deliverAll();
    expect(ownReceiver.verified(own.signingSecret).map((e) => e.data.client)).toEqual([
      { clientId: a.client.clientId, name: a.client.name },
    ]);
    const heard = platformReceiver.verified(platform.signingSecret);
    expect(heard.map((e) => (e.data.client as { clientId: string }).clientId).sort()).toEqual(
      [a.client.clientId, b.client.clientId].sort(),
    );
    expect(heard[0]!.data).toEqual(
      expect.objectContaining({ change: "disabled", before: { disabledAt: null }, after: { disabledAt: expect.any(String) } }),
    );
  });
});

describe("delivery keeps the e-mail outbox's promises", () => {
  it("a receiver that fails three times gets the event later, with the same webhook-id, and the deliveries list says how each went", async () => {
    const { client, ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    receiver.statuses.push(500, 503, 502);
    const { endpoint, signingSecret } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["secret.issued"],
    });
    await rotateSecret(ctx, { clientId: client.clientId, compromised: false });
    let at = new Date();
    expect(await deliverAll(at)).toEqual({ sent: 0, retrying: 1, dead: 0, endpointsDisabled: 0 });
    // Not due again until the backoff has passed: a run a minute later sends nothing.
    expect(await deliverAll(new Date(at.getTime() + 60_000))).toEqual({ sent: 0, retrying: 0, dead: 0, endpointsDisabled: 0 });
    for (const minutes of [5, 10]) {
      at = new Date(at.getTime() + minutes * 60_000);
      expect(await deliverAll(at)).toEqual({ sent: 0, retrying: 1, dead: 0, endpointsDisabled: 0 });
    }
    const [failing] = (await readEndpoint(webhookCtx(ctx), { endpointId: endpoint.id })).deliveries;
    expect(failing).toEqual(
      expect.objectContaining({
        status: "pending",
        attempts: 3,
        lastStatusCode: 502,
        lastError: "The endpoint answered 502, not a 2xx status. It said: receiver says no",
      }),
    );
    at = new Date(at.getTime() + 20 * 60_000);
    expect(await deliverAll(at)).toEqual({ sent: 1, retrying: 0, dead: 0, endpointsDisabled: 0 });
    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(receiver.types(signingSecret)).toEqual(["secret.issued", "secret.issued", "secret.issued", "secret.issued"]);
    const [sent] = (await readEndpoint(webhookCtx(ctx), { endpointId: endpoint.id })).deliveries;
    expect(sent).toEqual(expect.objectContaining({ status: "sent", attempts: 4, lastStatusCode: 200, lastError: null }));
  });

  it("an endpoint failing every attempt for a day is turned off once, its owners told by one e-mail; turned on, what waited goes out", async () => {
    const { organisation, client, ctx } = await anOrganisationWithSpoc();
    const { user: admin } = await aMember(handle.db, organisation, { role: "admin" });
    const receiver = await aReceiver();
    receiver.statuses.push(...Array.from({ length: 40 }, () => 500));
    const { endpoint } = await createEndpoint(webhookCtx(ctx), { url: receiver.url, description: null, eventTypes: ["secret.issued"] });
    await rotateSecret(ctx, { clientId: client.clientId, compromised: false });
    const start = Date.now();
    let disabledAfter = 0;
    // One run an hour for two days: the backoff decides which runs try again.
    for (let hour = 0; hour <= 48 && disabledAfter === 0; hour++) {
      const summary = await deliverAll(new Date(start + hour * 3_600_000));
      if (summary.endpointsDisabled > 0) disabledAfter = hour;
    }
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row).toEqual(expect.objectContaining({ disabledReason: "failing", consecutiveFailures: FAILURES_BEFORE_DISABLE }));
    expect(disabledAfter * 3_600_000).toBeGreaterThanOrEqual(FAILING_FOR_MS);
    const mails = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "webhook_disabled"));
    const ours = mails.filter((m) => m.organisationId === organisation.id);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.toAddresses.sort()).toEqual([admin.email, ctx.actor.label].sort());
    // Turned off: nothing is tried, however late.
    const tried = receiver.requests.length;
    expect((await deliverAll(new Date(start + 100 * 3_600_000))).sent).toBe(0);
    expect(receiver.requests.length).toBe(tried);
    // Turned back on (the receiver fixed): the event that waited is delivered.
    receiver.statuses.length = 0;
    await setEndpointEnabled(webhookCtx({ ...ctx, clock: () => new Date(start + 100 * 3_600_000) }), {
      endpointId: endpoint.id,
      enabled: true,
    });
    expect(await deliverAll(new Date(start + 100 * 3_600_000))).toEqual({ sent: 1, retrying: 0, dead: 0, endpointsDisabled: 0 });
  });

  it("a test event is signed like any other and tried once; a replay sends the same event again with the same webhook-id", async () => {
    const { ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    const { endpoint, signingSecret } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["secret.issued"],
    });
    receiver.statuses.push(418);
    const failed = await sendTestEvent(webhookCtx(ctx), { endpointId: endpoint.id });
    expect(failed).toEqual(expect.objectContaining({ eventType: "webhook.test", status: "dead", attempts: 1, lastStatusCode: 418 }));
    expect(await replayDelivery(webhookCtx(ctx), { endpointId: endpoint.id, deliveryId: failed.id })).toBe("sent");
    expect(receiver.types(signingSecret)).toEqual(["webhook.test", "webhook.test"]);
    expect(receiver.requests[0]!.headers["webhook-id"]).toBe(receiver.requests[1]!.headers["webhook-id"]);
    // The endpoint's record is untouched by a test event's failure.
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.consecutiveFailures).toBe(0);
  });

  it("after a signing-secret rotation both secrets verify until the overlap ends, then only the new one", async () => {
    const { client, ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    const { endpoint, signingSecret: old } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["secret.issued", "secret.revoked"],
    });
    const now = new Date();
    const { signingSecret: next } = await rotateEndpointSecret(webhookCtx(ctx), { endpointId: endpoint.id, overlapHours: 24 });
    expect(next).not.toBe(old);
    const rotated = await rotateSecret(ctx, { clientId: client.clientId, compromised: false });
    await deliverAll();
    expect(receiver.types(old)).toEqual(["secret.issued"]);
    expect(receiver.types(next)).toEqual(["secret.issued"]);
    expect(String(receiver.requests[0]!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    await revokeSecret(ctx, { clientId: client.clientId, secretId: rotated.secret.id, confirmClientId: client.clientId });
    await deliverAll(new Date(now.getTime() + 25 * 3_600_000));
    expect(() => new Webhook(old).verify(receiver.requests[1]!.body, receiver.requests[1]!.headers as Record<string, string>)).toThrow();
    expect(receiver.types(next)).toEqual(["secret.issued", "secret.revoked"]);
  });
});

describe("the scheduler's events", () => {
  it("secret.expiring on the reminder days and the expiry day, once each; old_secret.still_in_use once; secret.expired after the last day", async () => {
    const DAY = 86_400_000;
    const t0 = Date.UTC(2031, 0, 1, 9);
    const organisation = await anOrganisation(handle.db, { validityDays: 40, overlapDays: 10, timeZone: "UTC" });
    const { user: spoc } = await aMember(handle.db, organisation, { role: "spoc" });
    const client = await aClient(handle.db, organisation);
    const old = await aSecret(handle.db, organisation, client, keyRing, { createdAt: new Date(t0) });
    const ctx = asPerson(spoc, organisation, "spoc", new Date(t0));
    const receiver = await aReceiver();
    const { signingSecret } = await createEndpoint(webhookCtx(ctx), {
      url: receiver.url,
      description: null,
      eventTypes: ["secret.expiring", "old_secret.still_in_use", "secret.expired"],
    });
    const run = (at: number) =>
      runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example", webhooks: { limits } }, new Date(at));
    // Day 10: 30 days left; run twice on that day.
    await run(t0 + 10 * DAY);
    await run(t0 + 10 * DAY + 3_600_000);
    // The successor, issued on day 31 (9 days left), the old one used on day 37 (3 days left).
    const successor = await aSecret(handle.db, organisation, client, keyRing, {
      createdAt: new Date(t0 + 31 * DAY),
      replacesSecretId: old.id,
    });
    await run(t0 + 31 * DAY);
    await handle.db.execute(
      sql`update client_secret set last_used_at = ${new Date(t0 + 37 * DAY).toISOString()}::timestamptz where id = ${old.id}`,
    );
    await run(t0 + 37 * DAY + 3_600_000);
    await run(t0 + 37 * DAY + 7_200_000);
    await run(t0 + 40 * DAY + 3_600_000);
    await run(t0 + 41 * DAY + 3_600_000);

    // The old secret's events (the successor's own 30-day reminder comes on day 41 too).
    const events = receiver.verified(signingSecret).filter((e) => (e.data.secret as { id: string }).id === old.id);
    // In the order of the runs; within one run (day 37), in no promised order.
    const seen = events.map((e) => [e.type, e.data.reminderDays ?? null, e.data.daysLeft ?? null]);
    expect(seen).toHaveLength(6);
    expect(seen.slice(0, 2)).toEqual([
      ["secret.expiring", 30, 30],
      ["secret.expiring", 10, 9],
    ]);
    expect(seen.slice(2, 4)).toEqual(
      expect.arrayContaining([
        ["secret.expiring", 3, 3],
        ["old_secret.still_in_use", null, 3],
      ]),
    );
    // The expiry day itself (a secret is accepted to the end of its last day), then the expiry.
    expect(seen.slice(4)).toEqual([
      ["secret.expiring", 0, 0],
      ["secret.expired", null, null],
    ]);
    expect(events[1]!.data.successor).toEqual(expect.objectContaining({ id: successor.id, maskedValue: successor.maskedTail }));
    expect(events.find((e) => e.type === "old_secret.still_in_use")!.data).toEqual(
      expect.objectContaining({
        secret: expect.objectContaining({ id: old.id, lastUsedAt: new Date(t0 + 37 * DAY).toISOString() }),
        successor: expect.objectContaining({ id: successor.id }),
      }),
    );
  });

  it("key.expiring on the reminder days of a key with an expiry, and key.expired after its last day", async () => {
    const DAY = 86_400_000;
    const t0 = Date.UTC(2032, 0, 1, 9);
    const organisation = await anOrganisation(handle.db, { timeZone: "UTC" });
    const { user: spoc } = await aMember(handle.db, organisation, { role: "spoc" });
    const client = await aClient(handle.db, organisation);
    const key = await aPublicKey(handle.db, client, { alg: "ES256", createdAt: new Date(t0), expiresAt: new Date(t0 + 25 * DAY) });
    const receiver = await aReceiver();
    const { signingSecret } = await createEndpoint(webhookCtx(asPerson(spoc, organisation, "spoc", new Date(t0))), {
      url: receiver.url,
      description: null,
      eventTypes: ["key.expiring", "key.expired"],
    });
    for (const day of [4, 5, 15, 25]) {
      await runScheduler(
        { db: handle.db, keyRing, publicUrl: "https://rotor.example", webhooks: { limits } },
        new Date(t0 + day * DAY + 3_600_000),
      );
    }
    const events = receiver.verified(signingSecret);
    // Registered with 25 days left: the 30-day reminder is due at the first run (21 days left).
    expect(events.map((e) => [e.type, e.data.reminderDays ?? null, e.data.daysLeft ?? null])).toEqual([
      ["key.expiring", 30, 21],
      ["key.expiring", 20, 20],
      ["key.expiring", 10, 10],
      ["key.expired", null, null],
    ]);
    for (const e of events) expect(e.data.key).toEqual(expect.objectContaining({ id: key.id, kid: key.kid, alg: "ES256" }));
  });
});

describe("refusals", () => {
  it("a member may not register an endpoint; an operator-only context is refused for a person who is not one", async () => {
    const { organisation } = await anOrganisationWithSpoc();
    const { user: member } = await aMember(handle.db, organisation, { role: "member" });
    await expect(
      createEndpoint(webhookCtx(asPerson(member, organisation, "member")), {
        url: "https://hooks.example.com/x",
        description: null,
        eventTypes: ["secret.issued"],
      }),
    ).rejects.toEqual(new DomainError("forbidden", "Your role in this organisation does not allow this."));
    const platformCtx = {
      db: handle.db,
      actor: { type: "user" as const, userId: member.id, label: "x" },
      isOperator: false,
      clock: () => new Date(),
      keyRing,
    };
    await expect(
      createEndpoint(webhookCtx(platformCtx), { url: "https://hooks.example.com/x", description: null, eventTypes: ["secret.issued"] }),
    ).rejects.toEqual(new DomainError("forbidden", "Only the platform operator can do this."));
  });

  it("in production an address on a private network, loopback or plain http is refused with a reason, and nothing is stored", async () => {
    const { organisation, ctx } = await anOrganisationWithSpoc();
    const production: WebhookContext = { ...ctx, limits: webhookLimits({ ROTOR_ENV: "production" }) };
    const cases: [string, string][] = [
      ["https://127.0.0.1/hooks", "Rotor cannot send to this address: 127.0.0.1 is not a public address."],
      ["https://169.254.169.254/latest/meta-data", "Rotor cannot send to this address: 169.254.169.254 is not a public address."],
      ["https://[::1]/hooks", "Rotor cannot send to this address: ::1 is not a public address."],
      ["https://localhost/hooks", "Rotor cannot send to this address: localhost resolves to 127.0.0.1, which is not a public address."],
      ["http://hooks.example.com/x", "Rotor cannot send to this address: Use an https:// URL."],
    ];
    for (const [url, message] of cases) {
      await expect(createEndpoint(production, { url, description: null, eventTypes: ["secret.issued"] })).rejects.toEqual(
        new DomainError("invalid", message, "url"),
      );
    }
    expect(await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.organisationId, organisation.id))).toEqual([]);
  });

  it("the database refuses an endpoint subscribed to an event Rotor does not send", async () => {
    const organisation = await anOrganisation(handle.db);
    await expect(
      handle.db
        .insert(webhookEndpoints)
        .values({ organisationId: organisation.id, url: "https://x.example", eventTypes: ["secret.leaked"] }),
    ).rejects.toThrow();
  });
});

describe("what is kept", () => {
  it("an organisation no endpoint listens to records no events at all", async () => {
    const { organisation, client, ctx } = await anOrganisationWithSpoc();
    await rotateSecret(ctx, { clientId: client.clientId, compromised: true });
    expect(await handle.db.select().from(webhookEvents).where(eq(webhookEvents.organisationId, organisation.id))).toEqual([]);
  });

  it("the audit trail names an endpoint by origin and path: a token in its query stays out", async () => {
    const { organisation, ctx } = await anOrganisationWithSpoc();
    const receiver = await aReceiver();
    const { endpoint } = await createEndpoint(webhookCtx(ctx), {
      url: `${receiver.url}?token=s3cret-in-query`,
      description: null,
      eventTypes: ["secret.issued"],
    });
    await rotateEndpointSecret(webhookCtx(ctx), { endpointId: endpoint.id, overlapHours: 0 });
    await setEndpointEnabled(webhookCtx(ctx), { endpointId: endpoint.id, enabled: false });
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.organisationId, organisation.id))
      .orderBy(auditEvents.id);
    expect(events.map((e) => [e.action, e.metadata.url])).toEqual([
      ["webhook.created", `${receiver.url}?…`],
      ["webhook.secret_rotated", `${receiver.url}?…`],
      ["webhook.disabled", `${receiver.url}?…`],
    ]);
    expect(JSON.stringify(events)).not.toContain("s3cret");
  });
});

describe("no payload holds a secret", () => {
  it("no recorded event's body holds a client secret's value, a signing secret, a digest or a ciphertext", async () => {
    const events = await handle.db.select({ payload: webhookEvents.payload }).from(webhookEvents);
    expect(events.length).toBeGreaterThan(5);
    const secrets = await handle.db.execute(
      sql`select digest, ciphertext from client_secret union all select ciphertext, ciphertext from webhook_signing_secret`,
    );
    const values = (Array.isArray(secrets) ? secrets : (secrets as { rows: unknown[] }).rows) as {
      digest: string | null;
      ciphertext: string | null;
    }[];
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/whsec_|rtr_|"digest"|"ciphertext"/);
    for (const v of values) {
      if (v.digest) expect(text).not.toContain(v.digest);
      if (v.ciphertext) expect(text).not.toContain(v.ciphertext);
    }
  });
});

describe("deliveries are unique per event and endpoint", () => {
  it("the database refuses a second delivery of one event to one endpoint", async () => {
    const [delivery] = await handle.db.select().from(webhookDeliveries).limit(1);
    expect(delivery).toBeDefined();
    await expect(
      handle.db.insert(webhookDeliveries).values({ eventId: delivery!.eventId, endpointId: delivery!.endpointId }),
    ).rejects.toThrow();
  });
});

describe("docs/webhooks.md", () => {
  const docs = readFileSync("docs/webhooks.md", "utf8");

  it("shows the example receiver exactly as docs/examples/webhook-receiver.ts has it", () => {
    const shown = docs.split("<!-- webhook-receiver.ts:begin -->\n```ts\n")[1]?.split("```\n<!-- webhook-receiver.ts:end -->")[0];
    expect(shown).toBe(readFileSync("docs/examples/webhook-receiver.ts", "utf8"));
  });

  it("the example receiver verifies a real delivery, handles a replay once, and refuses a forged one", async () => {
    const { ctx, client } = await anOrganisationWithSpoc();
    const handled: { type: string }[] = [];
    const seen = new Set<string>();
    let handler: ReturnType<typeof rotorWebhookHandler> | null = null;
    const answers: number[] = [];
    const server = createServer((req, res) => {
      res.on("finish", () => answers.push(res.statusCode));
      void handler!(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rotor`;
      const { endpoint, signingSecret } = await createEndpoint(webhookCtx(ctx), { url, description: null, eventTypes: ["secret.issued"] });
      // The receiver knows an old secret too (mid-rotation on its side): either verifies.
      handler = rotorWebhookHandler([`whsec_${randomBytes(32).toString("base64")}`, signingSecret], seen, async (e) => {
        handled.push(e);
      });
      await rotateSecret(ctx, { clientId: client.clientId, compromised: false });
      await deliverAll();
      const [delivery] = (await readEndpoint(webhookCtx(ctx), { endpointId: endpoint.id })).deliveries;
      expect(await replayDelivery(webhookCtx(ctx), { endpointId: endpoint.id, deliveryId: delivery!.id })).toBe("sent");
      expect(handled.map((e) => e.type)).toEqual(["secret.issued"]);
      const forged = await fetch(url, {
        method: "POST",
        body: JSON.stringify({ type: "secret.issued", timestamp: new Date().toISOString(), data: {} }),
        headers: { "webhook-id": "x", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAA" },
      });
      expect(forged.status).toBe(401);
      expect(answers).toEqual([204, 204, 401]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("gives an example for every event, each with the exact fields of an event Rotor sent in these tests", () => {
    const examples = new Map<string, unknown>();
    for (const [, type, json] of docs.matchAll(/<!-- example:([a-z_.]+) -->\n```json\n([\s\S]*?)```/g)) {
      examples.set(type!, JSON.parse(json!));
    }
    expect([...examples.keys()].sort()).toEqual([...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE].sort());
    const sent = new Map<string, unknown>();
    for (const r of receivers.flatMap((x) => x.requests)) {
      const event = JSON.parse(r.body) as { type: string; data: { change?: string } };
      // client.changed's before/after depend on the change: compare with the example's (disabled).
      if (event.type === "client.changed" && event.data.change !== "disabled") continue;
      if (!sent.has(event.type)) sent.set(event.type, event);
    }
    expect([...sent.keys()].sort()).toEqual([...examples.keys()].sort());
    const differences = [...examples].flatMap(([type, example]) => fieldDifferences(example, sent.get(type)).map((f) => `${type}: ${f}`));
    expect(differences).toEqual([]);
  });
});

/**
 * Where two payloads' fields differ, all the way down: a field one has and the other lacks, or an
 * object against a plain value. A null matches anything (a successor may be there or not).
 */
function fieldDifferences(a: unknown, b: unknown, path = ""): string[] {
  if (a === null || b === null) return [];
  const object = (v: unknown) => typeof v === "object" && !Array.isArray(v);
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) ? fieldDifferences(a[0] ?? null, b[0] ?? null, `${path}[0]`) : [path];
  if (object(a) !== object(b)) return [path];
  if (!object(a)) return typeof a === typeof b ? [] : [path];
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].flatMap((k) =>
    k in x && k in y ? fieldDifferences(x[k], y[k], `${path}.${k}`) : [`${path}.${k}`],
  );
}
