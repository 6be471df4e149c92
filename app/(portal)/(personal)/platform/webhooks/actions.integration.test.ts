import { randomBytes } from "node:crypto";
import { eq, isNull } from "drizzle-orm";
import { notFound } from "next/navigation";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseHandle } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { idle } from "@/lib/action-state";
import { parseKeyRing } from "@/lib/crypto/encryption";

/*
 * Platform > Webhooks' server actions on a real database: only the operator may act (anyone else
 * meets requireOperator's "not found", as the real one answers), and an endpoint added there is
 * platform-wide (no organisation). The stand-in for requireOperator refuses as the real one does.
 */
const state = vi.hoisted(() => ({ db: null as Database | null, isOperator: true }));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/crypto/key-ring-loader", async () => {
  const { parseKeyRing: parse } = await import("@/lib/crypto/encryption");
  const ring = parse(`t:${Buffer.alloc(32, 9).toString("base64")}`);
  return { loadKeyRing: () => ring };
});
vi.mock("@/lib/auth/actor", () => ({ actorFor: async () => ({ type: "user", userId: null, label: "olivia.operator@rotor.example" }) }));
vi.mock("@/lib/auth/caller", () => ({
  requireOperator: async () => {
    if (!state.isOperator) notFound();
    return { userId: "o", name: "Olivia", email: "olivia.operator@rotor.example", isOperator: true, organisations: [] };
  },
  requireRecentSignIn: async () => {},
}));

const { createPlatformEndpointAction } = await import("./actions");

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  state.db = handle.db;
  await seedDemoData(handle.db, { now: new Date(), keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
});
afterAll(async () => handle?.close());

const endpointForm = (url: string, eventTypes: string[]) => {
  const form = new FormData();
  form.set("url", url);
  for (const t of eventTypes) form.append("eventTypes", t);
  return form;
};

describe("adding a platform-wide webhook endpoint", () => {
  it("refuses anyone but the operator, and writes nothing", async () => {
    state.isOperator = false;
    try {
      await expect(createPlatformEndpointAction(idle, endpointForm("https://hooks.example.com/all", ["secret.issued"]))).rejects.toThrow();
    } finally {
      state.isOperator = true;
    }
    expect(await handle.db.select().from(webhookEndpoints).where(isNull(webhookEndpoints.organisationId))).toHaveLength(0);
  });

  it("lets the operator add one for every organisation, its signing secret shown once", async () => {
    const url = "http://127.0.0.1:9/platform";
    const result = await createPlatformEndpointAction(idle, endpointForm(url, ["secret.expiring", "key.expiring"]));
    expect(result).toMatchObject({ status: "success" });
    expect(result.value).toMatch(/^whsec_/);
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.url, url));
    expect(row).toMatchObject({ organisationId: null, eventTypes: ["secret.expiring", "key.expiring"] });
  });

  it("answers a bad URL with the URL field's message", async () => {
    const result = await createPlatformEndpointAction(idle, endpointForm("not a url", ["secret.issued"]));
    expect(result).toMatchObject({ status: "error", fieldErrors: { url: expect.stringContaining("Give a full URL") } });
  });
});
