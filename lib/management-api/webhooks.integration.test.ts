import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import { findUserByEmail } from "@/lib/data/users";
import { type ApiTestState, seededApiDatabase } from "./testing";

/*
 * The organisation's webhook endpoints through the management API (docs/webhooks.md): a designated
 * user's token registers one (its secret in that response only, not in a replay), reads, changes,
 * turns it off and on, sends a test event a real receiver verifies with standardwebhooks, lists and
 * replays deliveries, rotates the secret and deletes it; a read-only token reads only; another
 * organisation's token finds nothing; bad input is a 422 naming the field.
 */
const state = vi.hoisted((): ApiTestState => ({ db: null, handle: null, keyRing: null }));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db, getDatabaseHandle: async () => state.handle }));
vi.mock("@/lib/crypto/key-ring-loader", () => ({ loadKeyRing: () => state.keyRing }));

const api = await import("./webhook-endpoints");

let handle: DatabaseHandle;
let rotateToken = "";
let readToken = "";
let otherToken = "";
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.end("ok");
  });
});
let receiverUrl = "";

type Endpoint = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(
  endpoint: Endpoint,
  token: string,
  init: { method?: string; body?: unknown; params?: Record<string, string>; key?: string } = {},
) {
  const res = await endpoint(
    new Request("https://rotor.example/api/v1/webhooks", {
      method: init.method ?? "GET",
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(init.key ? { "idempotency-key": init.key } : {}),
      },
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
  return { status: res.status, body: await res.json() };
}

async function tokenFor(email: string, organisation: string, scope: "read" | "rotate"): Promise<string> {
  const user = await findUserByEmail(handle.db, email);
  return (
    await createApiToken(
      handle.db,
      { userId: user!.id, label: email },
      { organisation, name: `hooks ${scope}`, scope, expiresInDays: 7 },
      new Date(),
    )
  ).value;
}

beforeAll(async () => {
  handle = await seededApiDatabase(state);
  rotateToken = await tokenFor("api-team@northwind.example", "northwind", "rotate");
  readToken = await tokenFor("api-team@northwind.example", "northwind", "read");
  otherToken = await tokenFor("secret-rotation@finvu.example", "finvu", "rotate");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await handle?.close();
});

describe("webhook endpoints through the management API", () => {
  it("registers, tests, lists deliveries, replays, rotates the secret, turns off and on, changes and deletes", async () => {
    const created = await call(api.createWebhookEndpoint, rotateToken, {
      method: "POST",
      key: "create-1",
      body: { url: receiverUrl, description: "", eventTypes: ["secret.revoked", "secret.issued"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      endpoint: {
        id: expect.any(String),
        url: receiverUrl,
        description: null,
        // In the catalogue's order, whatever order they were sent in.
        eventTypes: ["secret.issued", "secret.revoked"],
        enabled: true,
        disabledAt: null,
        disabledReason: null,
        failingSince: null,
        consecutiveFailures: 0,
        createdAt: expect.any(String),
        signingSecrets: [{ maskedValue: created.body.signingSecret.slice(-4), createdAt: expect.any(String), signsUntil: null }],
      },
      signingSecret: expect.stringMatching(/^whsec_/),
    });
    const id = created.body.endpoint.id as string;
    const secret = created.body.signingSecret as string;
    // A replay of the same request answers the same endpoint, without the secret.
    const replayed = await call(api.createWebhookEndpoint, rotateToken, {
      method: "POST",
      key: "create-1",
      body: { url: receiverUrl, description: "", eventTypes: ["secret.revoked", "secret.issued"] },
    });
    expect(replayed).toEqual({ status: 201, body: { ...created.body, signingSecret: null } });

    const test = await call(api.testWebhookEndpoint, rotateToken, { method: "POST", params: { endpointId: id } });
    expect(test).toEqual({
      status: 200,
      body: expect.objectContaining({ eventType: "webhook.test", status: "sent", attempts: 1, lastStatusCode: 200, nextAttemptAt: null }),
    });
    expect(new Webhook(secret).verify(received[0]!.body, received[0]!.headers as Record<string, string>)).toEqual(
      expect.objectContaining({ type: "webhook.test" }),
    );

    const deliveries = await call(api.listWebhookDeliveriesEndpoint, readToken, { params: { endpointId: id } });
    expect(deliveries.body.deliveries).toEqual([test.body]);
    const replay = await call(api.replayWebhookDeliveryEndpoint, rotateToken, {
      method: "POST",
      params: { endpointId: id, deliveryId: test.body.id },
    });
    expect(replay.body).toEqual(expect.objectContaining({ id: test.body.id, status: "sent", attempts: 1 }));
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([test.body.eventId, test.body.eventId]);

    const rotated = await call(api.rotateWebhookSecretEndpoint, rotateToken, {
      method: "POST",
      params: { endpointId: id },
      body: { overlapHours: 2 },
    });
    expect(rotated).toEqual({
      status: 201,
      body: { signingSecret: expect.stringMatching(/^whsec_/), previousSecretSignsUntil: expect.any(String) },
    });
    const read = await call(api.readWebhookEndpoint, readToken, { params: { endpointId: id } });
    expect(read.body.signingSecrets).toEqual([
      expect.objectContaining({ maskedValue: rotated.body.signingSecret.slice(-4), signsUntil: null }),
      expect.objectContaining({ maskedValue: secret.slice(-4), signsUntil: rotated.body.previousSecretSignsUntil }),
    ]);

    const off = await call(api.disableWebhookEndpoint, rotateToken, { method: "POST", params: { endpointId: id } });
    expect(off.body).toEqual(expect.objectContaining({ enabled: false, disabledReason: "person" }));
    const refusedTest = await call(api.testWebhookEndpoint, rotateToken, { method: "POST", params: { endpointId: id } });
    expect(refusedTest).toEqual({
      status: 409,
      body: {
        type: "about:blank",
        title: "Conflict",
        status: 409,
        detail: "This endpoint is turned off. Turn it on to send it a test event.",
      },
    });
    const on = await call(api.enableWebhookEndpoint, rotateToken, { method: "POST", params: { endpointId: id } });
    expect(on.body).toEqual(expect.objectContaining({ enabled: true, disabledReason: null }));

    const changed = await call(api.updateWebhookEndpoint, rotateToken, {
      method: "PUT",
      params: { endpointId: id },
      body: { url: `${receiverUrl}/v2`, description: "Ticketing", eventTypes: ["old_secret.still_in_use"] },
    });
    expect(changed.body).toEqual(
      expect.objectContaining({ url: `${receiverUrl}/v2`, description: "Ticketing", eventTypes: ["old_secret.still_in_use"] }),
    );
    const list = await call(api.listWebhooksEndpoint, readToken);
    expect(list.body.endpoints.map((e: { id: string }) => e.id)).toEqual([id]);

    expect(await call(api.deleteWebhookEndpoint, rotateToken, { method: "DELETE", params: { endpointId: id } })).toEqual({
      status: 200,
      body: { id, deleted: true },
    });
    expect((await call(api.listWebhooksEndpoint, readToken)).body).toEqual({ endpoints: [] });
  });

  it("refuses a change to a read-only token, finds nothing of another organisation's, and names a bad field", async () => {
    const created = await call(api.createWebhookEndpoint, rotateToken, {
      method: "POST",
      body: { url: receiverUrl, eventTypes: ["secret.issued"] },
    });
    const id = created.body.endpoint.id as string;
    const readOnly = await call(api.disableWebhookEndpoint, readToken, { method: "POST", params: { endpointId: id } });
    expect(readOnly).toEqual({
      status: 403,
      body: {
        type: "about:blank",
        title: "Forbidden",
        status: 403,
        detail: "This token is read-only. Create a token with the read and rotate scope in Account Management to change credentials.",
      },
    });
    expect(await call(api.readWebhookEndpoint, otherToken, { params: { endpointId: id } })).toEqual({
      status: 404,
      body: {
        type: "about:blank",
        title: "Not found",
        status: 404,
        detail: "There is no such webhook endpoint here. It may have been deleted.",
      },
    });
    expect(await call(api.deleteWebhookEndpoint, otherToken, { method: "DELETE", params: { endpointId: id } })).toEqual(
      expect.objectContaining({ status: 404 }),
    );
    const bad = await call(api.createWebhookEndpoint, rotateToken, {
      method: "POST",
      body: { url: receiverUrl, eventTypes: ["secret.leaked"] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: "eventTypes.0", message: "That is not an event Rotor sends." }]);
    const none = await call(api.createWebhookEndpoint, rotateToken, { method: "POST", body: { url: "ftp://x.example", eventTypes: [] } });
    expect(none.body.errors).toEqual([
      { field: "url", message: "Give a full URL starting with https://, such as https://hooks.example.com/rotor." },
      { field: "eventTypes", message: "Choose at least one event to send." },
    ]);
  });
});
