import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, emailOutbox, webhookDeliveries, webhookEndpoints, webhookSigningSecrets } from "@/db/schema";
import { aClient, aMember, anOperator, anOrganisation, aSecret } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import type { OrganisationContext, PlatformContext } from "@/lib/context";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import type { UserDto } from "@/lib/data/users";
import type { DomainError } from "@/lib/errors";
import { createEndpoint } from "./create-endpoint";
import { deleteEndpoint } from "./delete-endpoint";
import { deliverWebhook, drainWebhooks } from "./deliver";
import { webhookLimits } from "./policy";
import { readEndpoint, readEndpoints } from "./read-endpoints";
import { replayDelivery } from "./replay-delivery";
import { rotateEndpointSecret } from "./rotate-endpoint-secret";
import { sendTestEvent } from "./send-test-event";
import { setEndpointEnabled } from "./set-endpoint-enabled";
import { ENDPOINT_NOT_FOUND, updateEndpoint } from "./update-endpoint";
import type { WebhookContext } from "./webhook-context";

/*
 * Each webhook use case (docs/webhooks.md) as its callers meet it: the whole refusal for another
 * owner's endpoint, a turned-off one, a caller without the right; on success the whole audit row
 * it writes; and delivery's edges: which answers count, when a delivery is given up, what the
 * "turned off" e-mail says and to whom.
 */

const keyRing = parseKeyRing(`test:${randomBytes(32).toString("base64")}`);
const limits = webhookLimits({ ROTOR_ENV: "test" });
let handle: DatabaseHandle;

/** A receiver answering each request with the next queued status and body (200 "ok" when none). */
const answers: { status: number; body: string }[] = [];
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const next = answers.shift() ?? { status: 200, body: "ok" };
    res.writeHead(next.status).end(next.body);
  });
});
let url = "";

beforeAll(async () => {
  handle = await createTestDatabase();
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await handle?.close();
});

function person(user: UserDto, organisation: OrganisationDto, role: "admin" | "spoc" | "member"): WebhookContext {
  const ctx: OrganisationContext = {
    db: handle.db,
    organisation,
    role,
    isOperator: false,
    actor: { type: "user", userId: user.id, label: user.email!, ip: "203.0.113.5", userAgent: "Browser/2" },
    clock: () => new Date(),
  };
  return { ...ctx, keyRing, limits };
}

function operator(user: UserDto): WebhookContext {
  const ctx: PlatformContext = {
    db: handle.db,
    actor: { type: "user", userId: user.id, label: user.email! },
    isOperator: true,
    clock: () => new Date(),
  };
  return { ...ctx, keyRing, limits };
}

async function anAdmin() {
  const organisation = await anOrganisation(handle.db);
  const { user } = await aMember(handle.db, organisation, { role: "admin" });
  return { organisation, user, ctx: person(user, organisation, "admin") };
}

const auditOf = async (organisationId: string | null, action: string) =>
  handle.db
    .select()
    .from(auditEvents)
    .where(
      and(
        organisationId === null ? sql`${auditEvents.organisationId} is null` : eq(auditEvents.organisationId, organisationId),
        eq(auditEvents.action, action),
      ),
    );

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const error = e as DomainError;
    return { name: error.name, code: error.code, message: error.message, field: error.field };
  }
  throw new Error("expected a refusal");
}
const refused = (code: DomainError["code"], message: string, field?: string) => ({ name: "DomainError", code, message, field });

describe("another owner's endpoint is not found, by every use case", () => {
  it("an organisation's people cannot see, change, test, replay or delete another organisation's endpoint, nor the platform's", async () => {
    const theirs = await anAdmin();
    const ours = await anAdmin();
    const op = await anOperator(handle.db);
    const { endpoint } = await createEndpoint(theirs.ctx, { url, description: null, eventTypes: ["secret.issued"] });
    // key.expired: no later test here records one, so this endpoint takes none of their deliveries.
    const { endpoint: platformEndpoint } = await createEndpoint(operator(op), { url, description: null, eventTypes: ["key.expired"] });
    const notFound = refused("not_found", ENDPOINT_NOT_FOUND);
    for (const endpointId of [endpoint.id, platformEndpoint.id, randomUUID()]) {
      expect(await refusal(readEndpoint(ours.ctx, { endpointId }))).toEqual(notFound);
      expect(await refusal(updateEndpoint(ours.ctx, { endpointId, url, description: null, eventTypes: ["key.revoked"] }))).toEqual(
        notFound,
      );
      expect(await refusal(deleteEndpoint(ours.ctx, { endpointId }))).toEqual(notFound);
      expect(await refusal(setEndpointEnabled(ours.ctx, { endpointId, enabled: false }))).toEqual(notFound);
      expect(await refusal(rotateEndpointSecret(ours.ctx, { endpointId, overlapHours: 1 }))).toEqual(notFound);
      expect(await refusal(sendTestEvent(ours.ctx, { endpointId }))).toEqual(notFound);
      expect(await refusal(replayDelivery(ours.ctx, { endpointId, deliveryId: randomUUID() }))).toEqual(notFound);
    }
    // And the operator's platform view holds no organisation's endpoint.
    expect(await refusal(readEndpoint(operator(op), { endpointId: endpoint.id }))).toEqual(notFound);
    expect((await readEndpoints(operator(op))).map((e) => e.id)).toContain(platformEndpoint.id);
    expect((await readEndpoints(operator(op))).map((e) => e.id)).not.toContain(endpoint.id);
    expect(await readEndpoints(ours.ctx)).toEqual([]);
    // Nothing was changed: their endpoint is as it was.
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row).toEqual(endpoint);
  });

  it("a caller is authorized before the address is looked at, and again on the role held now", async () => {
    const { organisation, user } = await anAdmin();
    const { user: member } = await aMember(handle.db, organisation, { role: "member" });
    const production: WebhookContext = { ...person(member, organisation, "member"), limits: webhookLimits({ ROTOR_ENV: "production" }) };
    // Not "Rotor cannot send to this address": a member learns nothing about addresses.
    expect(
      await refusal(createEndpoint(production, { url: "https://localhost/x", description: null, eventTypes: ["secret.issued"] })),
    ).toEqual(refused("forbidden", "Your role in this organisation does not allow this."));
    // The edge resolved "admin", but the person is a member now: refused, nothing stored.
    expect(
      await refusal(createEndpoint(person(member, organisation, "admin"), { url, description: null, eventTypes: ["secret.issued"] })),
    ).toEqual(refused("forbidden", "Your role in this organisation does not allow this."));
    expect(await readEndpoints(person(user, organisation, "admin"))).toEqual([]);
  });
});

describe("each change is audited whole", () => {
  it("create, update, rotate, turn off, turn on and delete each write one event naming the endpoint", async () => {
    const { organisation, user, ctx } = await anAdmin();
    const { endpoint, signingSecret } = await createEndpoint(ctx, {
      url,
      description: "SIEM",
      eventTypes: ["secret.issued", "key.revoked"],
    });
    const actor = { actorType: "user", actorUserId: user.id, actorLabel: user.email, ip: "203.0.113.5", userAgent: "Browser/2" };
    const target = { targetType: "webhook_endpoint", targetId: endpoint.id };
    expect(await auditOf(organisation.id, "webhook.created")).toEqual([
      expect.objectContaining({ ...actor, ...target, metadata: { url, eventTypes: ["secret.issued", "key.revoked"] } }),
    ]);

    await updateEndpoint(ctx, { endpointId: endpoint.id, url: `${url}/v2`, description: null, eventTypes: ["client.changed"] });
    expect(await auditOf(organisation.id, "webhook.updated")).toEqual([
      expect.objectContaining({
        ...actor,
        ...target,
        metadata: {
          url: `${url}/v2`,
          before: { url, description: "SIEM", eventTypes: ["secret.issued", "key.revoked"] },
          after: { url: `${url}/v2`, description: null, eventTypes: ["client.changed"] },
        },
      }),
    ]);
    const [updated] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(updated).toEqual({ ...endpoint, url: `${url}/v2`, description: null, eventTypes: ["client.changed"] });

    const rotated = await rotateEndpointSecret(ctx, { endpointId: endpoint.id, overlapHours: 6 });
    expect(await auditOf(organisation.id, "webhook.secret_rotated")).toEqual([
      expect.objectContaining({
        ...actor,
        ...target,
        metadata: {
          url: `${url}/v2`,
          maskedTail: rotated.signingSecret.slice(-4),
          previousSecretUntil: rotated.previousSecretUntil.toISOString(),
        },
      }),
    ]);
    const detail = await readEndpoint(ctx, { endpointId: endpoint.id });
    expect(detail.secrets).toEqual([
      { maskedTail: rotated.signingSecret.slice(-4), createdAt: expect.any(Date), expiresAt: null },
      { maskedTail: signingSecret.slice(-4), createdAt: expect.any(Date), expiresAt: rotated.previousSecretUntil },
    ]);

    await setEndpointEnabled(ctx, { endpointId: endpoint.id, enabled: false });
    // Asking again for what already is changes and records nothing.
    await setEndpointEnabled(ctx, { endpointId: endpoint.id, enabled: false });
    const [off] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(off).toEqual(expect.objectContaining({ disabledReason: "person", disabledAt: expect.any(Date) }));
    expect(await auditOf(organisation.id, "webhook.disabled")).toEqual([
      expect.objectContaining({ ...actor, ...target, metadata: { url: `${url}/v2` } }),
    ]);
    await setEndpointEnabled(ctx, { endpointId: endpoint.id, enabled: true });
    await setEndpointEnabled(ctx, { endpointId: endpoint.id, enabled: true });
    const [on] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(on).toEqual(expect.objectContaining({ disabledReason: null, disabledAt: null }));
    expect(await auditOf(organisation.id, "webhook.enabled")).toEqual([
      expect.objectContaining({ ...actor, ...target, metadata: { url: `${url}/v2` } }),
    ]);

    expect(await deleteEndpoint(ctx, { endpointId: endpoint.id })).toEqual({ url: `${url}/v2` });
    expect(await auditOf(organisation.id, "webhook.deleted")).toEqual([
      expect.objectContaining({ ...actor, ...target, metadata: { url: `${url}/v2` } }),
    ]);
    // Its secrets went with it.
    expect(await handle.db.select().from(webhookSigningSecrets).where(eq(webhookSigningSecrets.endpointId, endpoint.id))).toEqual([]);
    expect(await refusal(readEndpoint(ctx, { endpointId: endpoint.id }))).toEqual(refused("not_found", ENDPOINT_NOT_FOUND));
  });
});

describe("test events and replays", () => {
  it("a test event carries the endpoint's id and a message; a failed one leaves the endpoint's record alone", async () => {
    const { ctx } = await anAdmin();
    const { endpoint } = await createEndpoint(ctx, { url, description: null, eventTypes: ["secret.issued"] });
    received.length = 0;
    answers.push({ status: 503, body: "down" });
    const failed = await sendTestEvent(ctx, { endpointId: endpoint.id });
    expect(failed).toEqual(
      expect.objectContaining({
        status: "dead",
        lastStatusCode: 503,
        lastError: "The endpoint answered 503, not a 2xx status. It said: down",
      }),
    );
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect([row!.consecutiveFailures, row!.failingSince]).toEqual([0, null]);
    expect(JSON.parse(received[0]!.body)).toEqual({
      type: "webhook.test",
      timestamp: expect.any(String),
      data: { endpointId: endpoint.id, message: "A test event from Rotor: the endpoint is reachable and can verify the signature." },
    });
  });

  it("a turned-off endpoint is sent neither a test event nor a replay, and an unknown delivery is not found", async () => {
    const { ctx } = await anAdmin();
    const { endpoint } = await createEndpoint(ctx, { url, description: null, eventTypes: ["secret.issued"] });
    const sent = await sendTestEvent(ctx, { endpointId: endpoint.id });
    expect(await refusal(replayDelivery(ctx, { endpointId: endpoint.id, deliveryId: randomUUID() }))).toEqual(
      refused("not_found", "There is no such delivery for this endpoint. It may be older than the log keeps."),
    );
    await setEndpointEnabled(ctx, { endpointId: endpoint.id, enabled: false });
    expect(await refusal(sendTestEvent(ctx, { endpointId: endpoint.id }))).toEqual(
      refused("conflict", "This endpoint is turned off. Turn it on to send it a test event."),
    );
    expect(await refusal(replayDelivery(ctx, { endpointId: endpoint.id, deliveryId: sent.id }))).toEqual(
      refused("conflict", "This endpoint is turned off. Turn it on to send events to it again."),
    );
    // A delivery that is not waiting is not sent by id.
    expect(await deliverWebhook(handle.db, keyRing, sent.id, { now: new Date(), limits })).toBe("not_due");
    expect(await deliverWebhook(handle.db, keyRing, randomUUID(), { now: new Date(), limits })).toBe("not_due");
  });
});

describe("which answers count, and when a delivery is given up", () => {
  async function waitingDelivery() {
    const { organisation, ctx } = await anAdmin();
    const client = await aClient(handle.db, organisation);
    await aSecret(handle.db, organisation, client, keyRing);
    const { endpoint } = await createEndpoint(ctx, { url, description: null, eventTypes: ["secret.issued"] });
    const { user: spoc } = await aMember(handle.db, organisation, { role: "spoc" });
    await rotateSecret(
      {
        db: handle.db,
        organisation,
        role: "spoc",
        isOperator: false,
        actor: { type: "user", userId: spoc.id, label: spoc.email! },
        clock: () => new Date(),
        keyRing,
      },
      { clientId: client.clientId, compromised: false },
    );
    const [delivery] = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
    return { delivery: delivery!, endpoint, organisation };
  }
  const drain = (at = new Date(Date.now() + 1000)) => drainWebhooks(handle.db, keyRing, { now: at, limits, concurrency: 1 });
  const rowOf = async (id: string) => (await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;

  it("any 2xx is delivered; a 3xx is a redirect not followed; the receiver's words are kept on one line", async () => {
    for (const [status, body, outcome, error] of [
      [201, "", "sent", null],
      [299, "", "sent", null],
      [
        300,
        "  go\n\n elsewhere\tplease  ",
        "retrying",
        "The endpoint answered 300, a redirect, which is not followed. It said: go elsewhere please",
      ],
      [399, "", "retrying", "The endpoint answered 399, a redirect, which is not followed."],
      [400, "bad", "retrying", "The endpoint answered 400, not a 2xx status. It said: bad"],
      // At most 200 characters of what it said.
      [500, `${"x".repeat(200)}yyy`, "retrying", `The endpoint answered 500, not a 2xx status. It said: ${"x".repeat(200)}`],
    ] as const) {
      const { delivery } = await waitingDelivery();
      answers.push({ status, body });
      const summary = await drain();
      expect({ status, delivered: summary[outcome] }).toEqual({ status, delivered: 1 });
      const row = await rowOf(delivery.id);
      expect({ status, lastStatusCode: row.lastStatusCode, lastError: row.lastError }).toEqual({
        status,
        lastStatusCode: status,
        lastError: error,
      });
      expect(row.lastLatencyMs).toBeGreaterThanOrEqual(0);
      expect(row.lastLatencyMs).toBeLessThan(60_000);
    }
  });

  it("the twelfth failed attempt gives a delivery up; the eleventh still retries", async () => {
    for (const [attemptsBefore, status] of [
      [10, "pending"],
      [11, "dead"],
    ] as const) {
      const { delivery } = await waitingDelivery();
      await handle.db.update(webhookDeliveries).set({ attempts: attemptsBefore }).where(eq(webhookDeliveries.id, delivery.id));
      answers.push({ status: 500, body: "" });
      await drain();
      expect(await rowOf(delivery.id)).toEqual(expect.objectContaining({ attempts: attemptsBefore + 1, status }));
    }
  });

  it("a turned-off organisation endpoint's e-mail goes to its admins and designated user, with the last reason and the page", async () => {
    const { delivery, endpoint, organisation } = await waitingDelivery();
    const { user: member } = await aMember(handle.db, organisation, { role: "member" });
    await handle.db
      .update(webhookEndpoints)
      .set({ consecutiveFailures: 9, failingSince: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(webhookEndpoints.id, endpoint.id));
    answers.push({ status: 502, body: "gateway" });
    expect(await drain()).toEqual({ sent: 0, retrying: 1, dead: 0, endpointsDisabled: 1 });
    const [mail] = await handle.db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.kind, "webhook_disabled"), eq(emailOutbox.organisationId, organisation.id)));
    expect(mail).toEqual(
      expect.objectContaining({
        subject: `Rotor stopped sending webhooks to ${new URL(url).host}`,
        template: "webhook-disabled",
        data: {
          owner: organisation.name,
          path: `/orgs/${organisation.slug}/manage/webhooks/${endpoint.id}`,
          url,
          failures: 10,
          reason: "The endpoint answered 502, not a 2xx status. It said: gateway",
          failingSince: expect.any(String),
          locale: organisation.locale,
          timeZone: organisation.timeZone,
        },
      }),
    );
    expect(mail!.toAddresses).not.toContain(member.email);
    expect(mail!.toAddresses).toHaveLength(2);
    expect((await rowOf(delivery.id)).status).toBe("pending");
  });

  it("a turned-off platform endpoint's e-mail goes to the operators; an organisation with nobody to tell gets none", async () => {
    const op = await anOperator(handle.db);
    const organisation = await anOrganisation(handle.db);
    await aMember(handle.db, organisation, { role: "member" });
    const client = await aClient(handle.db, organisation);
    await aSecret(handle.db, organisation, client, keyRing);
    const { endpoint: platform } = await createEndpoint(operator(op), { url, description: null, eventTypes: ["client.changed"] });
    const organisationCtx: WebhookContext = {
      db: handle.db,
      actor: { type: "cli", userId: null, label: "CLI" },
      isOperator: false,
      clock: () => new Date(),
      organisation,
      role: null,
      keyRing,
      limits,
    };
    const { endpoint: lonely } = await createEndpoint(organisationCtx, { url, description: null, eventTypes: ["client.changed"] });
    await handle.db
      .update(webhookEndpoints)
      .set({ consecutiveFailures: 9, failingSince: new Date(Date.now() - 25 * 3_600_000) })
      .where(sql`${webhookEndpoints.id} in (${platform.id}, ${lonely.id})`);
    await handle.db.execute(sql`select rotor_emit_webhook(${organisation.id}::uuid, 'client.changed', '{}'::jsonb, null, now())`);
    answers.push({ status: 500, body: "" }, { status: 500, body: "" });
    expect((await drain()).endpointsDisabled).toBe(2);
    const mails = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "webhook_disabled"));
    const toOperators = mails.filter((m) => (m.data as { path: string }).path === `/platform/webhooks/${platform.id}`);
    expect(toOperators).toEqual([
      expect.objectContaining({
        organisationId: null,
        data: expect.objectContaining({ owner: "Rotor (platform-wide)", locale: "en-GB", timeZone: "Europe/London" }),
      }),
    ]);
    expect(toOperators[0]!.toAddresses).toContain(op.email);
    expect(mails.filter((m) => (m.data as { path: string }).path.endsWith(lonely.id))).toEqual([]);
  });
});
