import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq } from "drizzle-orm";
import { forbidden } from "next/navigation";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseHandle } from "@/db/client";
import type { MembershipRole } from "@/db/schema";
import { auditEvents, webhookEndpoints } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { idle } from "@/lib/action-state";
import { can, type Permission } from "@/lib/auth/permissions";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { listDeliveries } from "@/lib/data/webhooks";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

/*
 * Manage > Webhooks' server actions as the browser calls them, on a real database; only the
 * session (who is asking, in which role) and Next's request scope are stood in for. The stand-in
 * for requireOrganisationAccess refuses as the real one does (forbidden()) when the role lacks the
 * permission the action asks for, so the action's own check is what is tested.
 */
const state = vi.hoisted(() => ({
  db: null as Database | null,
  organisation: null as OrganisationDto | null,
  role: "admin" as MembershipRole,
  asked: [] as string[],
}));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/crypto/key-ring-loader", async () => {
  const { parseKeyRing: parse } = await import("@/lib/crypto/encryption");
  const ring = parse(`t:${Buffer.alloc(32, 7).toString("base64")}`);
  return { loadKeyRing: () => ring };
});
vi.mock("@/lib/auth/actor", () => ({ actorFor: async () => ({ type: "user", userId: null, label: "alice.admin@northwind.example" }) }));
vi.mock("@/lib/auth/caller", () => ({
  requireOrganisationAccess: async (_slug: string, permission: Permission) => {
    state.asked.push(permission);
    if (!can(state.role, permission)) forbidden();
    return {
      caller: { userId: "u", name: "Alice", email: "alice.admin@northwind.example", isOperator: false, organisations: [] },
      organisation: state.organisation,
      role: state.role,
    };
  },
  requireRecentSignIn: async () => {},
}));

const { createEndpointAction, deleteEndpointAction, rotateSigningSecretAction, sendTestEventAction, updateEndpointAction } = await import(
  "./actions"
);

let handle: DatabaseHandle;
let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  state.db = handle.db;
  await seedDemoData(handle.db, { now: new Date(), keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
  state.organisation = await findOrganisationBySlug(handle.db, "northwind");
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      if (req.url?.endsWith("/down")) res.writeHead(503, { "content-type": "text/plain" }).end("Down for maintenance");
      else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await handle?.close();
});
beforeEach(() => {
  state.role = "admin";
  state.asked = [];
});

const endpointForm = (fields: { url: string; description?: string; eventTypes: string[] }) => {
  const form = new FormData();
  form.set("url", fields.url);
  form.set("description", fields.description ?? "");
  for (const t of fields.eventTypes) form.append("eventTypes", t);
  return form;
};
const endpointCount = async () =>
  (await handle.db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.organisationId, state.organisation!.id)))[0]?.n;

describe("adding a webhook endpoint", () => {
  it("refuses a member: the action asks for webhooks.manage itself, and nothing is written", async () => {
    state.role = "member";
    const before = await endpointCount();
    await expect(
      createEndpointAction("northwind", idle, endpointForm({ url: receiverUrl, eventTypes: ["secret.issued"] })),
    ).rejects.toThrow();
    expect(state.asked).toEqual(["webhooks.manage"]);
    expect(await endpointCount()).toBe(before);
  });

  it("lets an admin add one: the signing secret comes back once, the endpoint and its audit event are recorded", async () => {
    const result = await createEndpointAction(
      "northwind",
      idle,
      endpointForm({ url: receiverUrl, description: "Rotation pipeline", eventTypes: ["secret.revoked", "secret.issued"] }),
    );
    expect(result).toMatchObject({ status: "success", message: expect.stringContaining("will not be shown again") });
    expect(result.value).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.url, receiverUrl));
    expect(row).toMatchObject({
      organisationId: state.organisation!.id,
      description: "Rotation pipeline",
      // In the catalogue's order, whatever order the boxes were sent in.
      eventTypes: ["secret.issued", "secret.revoked"],
      disabledAt: null,
    });
    const audited = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, row!.id));
    expect(audited.map((a) => a.action)).toEqual(["webhook.created"]);
  });

  it("answers a URL that is not one with the URL field's message, hands back what was typed, and writes nothing", async () => {
    const before = await endpointCount();
    const result = await createEndpointAction(
      "northwind",
      idle,
      endpointForm({ url: "hooks.example.com/rotor", description: "Typo", eventTypes: ["key.registered"] }),
    );
    expect(result).toMatchObject({
      status: "error",
      fieldErrors: { url: "Give a full URL starting with https://, such as https://hooks.example.com/rotor." },
      values: { url: "hooks.example.com/rotor", description: "Typo", eventTypes: "key.registered" },
    });
    expect(await endpointCount()).toBe(before);
  });

  it("asks for at least one event, on the events' field", async () => {
    const result = await createEndpointAction("northwind", idle, endpointForm({ url: receiverUrl, eventTypes: [] }));
    expect(result).toMatchObject({ status: "error", fieldErrors: { eventTypes: "Choose at least one event to send." } });
  });
});

describe("an endpoint's page", () => {
  it("sends a test event signed with the secret shown once, and says the endpoint answered 200", async () => {
    const created = await createEndpointAction(
      "northwind",
      idle,
      endpointForm({ url: `${receiverUrl}/test`, eventTypes: [...WEBHOOK_EVENT_TYPES] }),
    );
    const [row] = await handle.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.url, `${receiverUrl}/test`));
    const result = await sendTestEventAction("northwind", row!.id, idle, new FormData());
    expect(result).toMatchObject({
      status: "success",
      message: expect.stringMatching(/^Test event delivered: the endpoint answered 200 in \d+ ms\.$/),
    });
    const last = received.at(-1)!;
    const verified = new Webhook(created.value!).verify(last.body, last.headers) as { type: string };
    expect(verified.type).toBe("webhook.test");
  });

  it("says how a failed test event failed, as the form's error, and lists the delivery given up on", async () => {
    await createEndpointAction("northwind", idle, endpointForm({ url: `${receiverUrl}/down`, eventTypes: ["client.changed"] }));
    const [row] = await handle.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.url, `${receiverUrl}/down`));
    const result = await sendTestEventAction("northwind", row!.id, idle, new FormData());
    expect(result).toMatchObject({
      status: "success",
      values: { outcome: "failed" },
      message: expect.stringMatching(
        /^The test event failed after \d+ ms: The endpoint answered 503, not a 2xx status\. It said: Down for maintenance\. Check that the receiver is running/,
      ),
    });
    const [delivery] = await listDeliveries(handle.db, row!.id, 5);
    expect(delivery).toMatchObject({ eventType: "webhook.test", status: "dead", lastStatusCode: 503 });
    // A test never counts against the endpoint.
    const [after] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, row!.id));
    expect(after).toMatchObject({ consecutiveFailures: 0, disabledAt: null });
  });

  it("refuses an overlap longer than a week on its field, and rotates with one of 0 hours", async () => {
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.url, receiverUrl));
    const tooLong = new FormData();
    tooLong.set("overlapHours", "200");
    expect(await rotateSigningSecretAction("northwind", row!.id, idle, tooLong)).toMatchObject({
      status: "error",
      fieldErrors: { overlapHours: "Keep the overlap to 168 hours (a week) or less." },
      values: { overlapHours: "200" },
    });
    const now = new FormData();
    now.set("overlapHours", "0");
    const rotated = await rotateSigningSecretAction("northwind", row!.id, idle, now);
    expect(rotated).toMatchObject({ status: "success", message: expect.stringContaining("stopped signing at once") });
    expect(rotated.value).toMatch(/^whsec_/);
  });

  it("changes an endpoint's address and events, and answers a bad URL there with the URL field's message", async () => {
    await createEndpointAction("northwind", idle, endpointForm({ url: `${receiverUrl}/edit`, eventTypes: ["key.revoked"] }));
    const [row] = await handle.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.url, `${receiverUrl}/edit`));
    const bad = await updateEndpointAction(
      "northwind",
      row!.id,
      idle,
      endpointForm({ url: "ftp://files.example.com", eventTypes: ["key.revoked"] }),
    );
    expect(bad).toMatchObject({ status: "error", fieldErrors: { url: expect.stringContaining("starting with https://") } });
    const saved = await updateEndpointAction(
      "northwind",
      row!.id,
      idle,
      endpointForm({ url: `${receiverUrl}/edited`, description: "Edited", eventTypes: ["client.changed", "key.revoked"] }),
    );
    expect(saved).toMatchObject({ status: "success", message: expect.stringContaining("Endpoint saved.") });
    const [after] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, row!.id));
    expect(after).toMatchObject({ url: `${receiverUrl}/edited`, description: "Edited", eventTypes: ["key.revoked", "client.changed"] });
  });

  it("answers an endpoint id that is not one without looking anything up, and another organisation's endpoint as not found", async () => {
    expect(await sendTestEventAction("northwind", "not-a-uuid", idle, new FormData())).toMatchObject({
      status: "error",
      fieldErrors: { endpointId: "That is not a valid endpoint id." },
    });
    const finvu = await findOrganisationBySlug(handle.db, "finvu");
    const [theirs] = await handle.db
      .insert(webhookEndpoints)
      .values({ organisationId: finvu!.id, url: "https://hooks.finvu.example/rotor", eventTypes: ["secret.issued"] })
      .returning();
    expect(await deleteEndpointAction("northwind", theirs!.id, idle, new FormData())).toMatchObject({
      status: "error",
      message: "There is no such webhook endpoint here. It may have been deleted.",
    });
    expect(await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, theirs!.id))).toHaveLength(1);
  });

  it("refuses a member the test event too", async () => {
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.url, receiverUrl));
    state.role = "member";
    await expect(sendTestEventAction("northwind", row!.id, idle, new FormData())).rejects.toThrow();
    expect(state.asked).toEqual(["webhooks.manage"]);
  });
});
