import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { getClientCredentials } from "@/lib/data/client-credentials";
import { findActiveMembership, listDeactivatedMembers } from "@/lib/data/memberships";
import { listOffices } from "@/lib/data/offices";
import { aClient, aMember, anOffice, anOrganisation, aPublicKey, aSecret } from "./builders";
import { createTestDatabase } from "./test-database";

const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

describe("the builders", () => {
  it("make independent organisations with unique slugs, each stating only what differs", async () => {
    const a = await anOrganisation(handle.db);
    const b = await anOrganisation(handle.db, { secretRevealPolicy: "show_once", timeZone: "Asia/Kolkata" });
    expect(a.slug).not.toBe(b.slug);
    expect(b).toMatchObject({ secretRevealPolicy: "show_once", timeZone: "Asia/Kolkata", validityDays: 180 });
  });

  it("make members, current and former, at an office", async () => {
    const org = await anOrganisation(handle.db);
    const office = await anOffice(handle.db, org, { name: "Leeds" });
    const { user: admin } = await aMember(handle.db, org, { role: "admin", office });
    const { user: former } = await aMember(handle.db, org, { deactivated: { at: new Date(Date.now() - 86_400_000), by: admin } });
    expect(await findActiveMembership(handle.db, org.id, admin.id)).toEqual({ role: "admin" });
    expect(await findActiveMembership(handle.db, org.id, former.id)).toBeNull();
    expect((await listDeactivatedMembers(handle.db, org.id)).map((m) => m.userId)).toEqual([former.id]);
    expect((await listOffices(handle.db, org.id)).map((o) => o.name)).toEqual(["Leeds"]);
  });

  it("make a client's secrets under its organisation's policy, and its keys", async () => {
    const org = await anOrganisation(handle.db, { secretRevealPolicy: "show_once" });
    const client = await aClient(handle.db, org);
    const now = new Date();
    const secret = await aSecret(handle.db, org, client, keyRing, { createdAt: now });
    await aPublicKey(handle.db, client, { kid: "k1" });
    const found = await getClientCredentials(handle.db, org, client.clientId, now);
    expect(found?.secrets.map((s) => [s.id, s.state])).toEqual([[secret.id, "active"]]);
    expect(found?.keys.map((k) => k.kid)).toEqual(["k1"]);
  });
});
