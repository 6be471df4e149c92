import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { memberships, personalApiTokens } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { cliIn, cliPlatform } from "@/db/testing/contexts";
import { createTestDatabase } from "@/db/testing/test-database";
import type { CredentialContext } from "@/lib/context";
import { listClients } from "@/lib/credentials/list-clients";
import { readClientCredentials } from "@/lib/credentials/read-client-credentials";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { changeRole } from "@/lib/organisations/change-role";
import { designateSpoc } from "@/lib/organisations/designate-spoc";
import { authenticateApiToken, createApiToken } from "./api-tokens";
import { scopeAllows } from "./schemas";

/*
 * A personal API token carries exactly the power of its owner's current role (docs/domain.md,
 * "The management API"): the attack it answers is a designated user, replaced by the operator,
 * whose token still listed the organisation's clients, secrets and keys.
 */

const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
const now = new Date();
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing });
});
afterAll(async () => handle?.close());

async function person(email: string) {
  const u = await findUserByEmail(handle.db, email);
  if (!u) throw new Error(email);
  return { userId: u.id, label: email };
}

async function tokenFor(email: string, organisation: string, scope: "read" | "rotate" = "read") {
  const { value, id } = await createApiToken(
    handle.db,
    await person(email),
    { organisation, name: `t-${scope}`, scope, expiresInDays: 7 },
    now,
  );
  return { value, id, authorization: `Bearer ${value}` };
}

const operator = { type: "user" as const, userId: null, label: "operator@rotor.example" };

describe("a personal API token's power", () => {
  it("has the scope chosen at creation; rotate includes read, read does not include rotate", async () => {
    const read = await tokenFor("api-team@northwind.example", "northwind", "read");
    const rotate = await tokenFor("api-team@northwind.example", "northwind", "rotate");
    expect((await authenticateApiToken(handle.db, read.authorization, now))?.scope).toBe("read");
    expect((await authenticateApiToken(handle.db, rotate.authorization, now))?.scope).toBe("rotate");
    expect([
      scopeAllows("read", "read"),
      scopeAllows("read", "rotate"),
      scopeAllows("rotate", "read"),
      scopeAllows("rotate", "rotate"),
    ]).toEqual([true, false, true, true]);
  });

  it("ends when the operator designates a new SPOC: the former one's tokens are revoked in the same change", async () => {
    const token = await tokenFor("secret-rotation@finvu.example", "finvu");
    expect(await authenticateApiToken(handle.db, token.authorization, now)).not.toBeNull();
    const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
    await designateSpoc(
      { ...cliPlatform(handle.db, now), actor: operator, isOperator: true },
      { organisationId: finvu.id, email: "arjun.member@finvu.example" },
    );
    const [row] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, token.id));
    expect(row?.revokedAt).toEqual(now);
    expect(await authenticateApiToken(handle.db, token.authorization, now)).toBeNull();
  });

  it("ends when an admin changes the owner's role", async () => {
    const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
    const token = await tokenFor("api-team@northwind.example", "northwind");
    const spoc = await person("api-team@northwind.example");
    const [membership] = await handle.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.organisationId, northwind.id), eq(memberships.userId, spoc.userId)));
    await changeRole(cliIn(handle.db, northwind, now), { membershipId: membership!.id, role: "member" });
    const [row] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, token.id));
    expect(row?.revokedAt).toEqual(now);
    // Restore the demo's designated user for the tests that follow.
    await changeRole(cliIn(handle.db, northwind, now), { membershipId: membership!.id, role: "spoc" });
  });

  it("is refused on every request once its owner is no longer the designated user, even if nothing revoked it", async () => {
    const token = await tokenFor("api-team@northwind.example", "northwind");
    const spoc = await person("api-team@northwind.example");
    const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
    const where = and(eq(memberships.organisationId, northwind.id), eq(memberships.userId, spoc.userId));
    // A role change by a path that forgot to revoke (a future endpoint, SQL by hand).
    await handle.db.update(memberships).set({ role: "admin" }).where(where);
    try {
      expect(await authenticateApiToken(handle.db, token.authorization, now)).toBeNull();
    } finally {
      await handle.db.update(memberships).set({ role: "spoc" }).where(where);
    }
    expect(await authenticateApiToken(handle.db, token.authorization, now)).not.toBeNull();
  });
});

describe("reading credentials through the management API's use cases", () => {
  async function ctx(role: CredentialContext["role"]): Promise<CredentialContext> {
    const organisation = (await findOrganisationBySlug(handle.db, "northwind"))!;
    return {
      db: handle.db,
      organisation,
      role,
      isOperator: false,
      actor: { type: "api_token", userId: null, label: "t" },
      clock: () => now,
      keyRing,
    };
  }

  it("lists clients, secrets and keys for the designated user and admins, and refuses a member", async () => {
    const clients = await listClients(await ctx("spoc"));
    expect(clients.map((c) => c.name)).toEqual(["Claims submission (production)", "Claims submission (sandbox)"]);
    expect((await readClientCredentials(await ctx("admin"), clients[0]!.clientId)).secrets.length).toBeGreaterThan(0);
    await expect(listClients(await ctx("member"))).rejects.toMatchObject({ code: "forbidden" });
    await expect(readClientCredentials(await ctx("member"), clients[0]!.clientId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(readClientCredentials(await ctx(null), clients[0]!.clientId)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("treats another organisation's client as not found", async () => {
    const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
    const finvuCtx: CredentialContext = { ...(await ctx("spoc")), organisation: finvu };
    const [theirs] = await listClients(finvuCtx);
    await expect(readClientCredentials(await ctx("spoc"), theirs!.clientId)).rejects.toMatchObject({ code: "not_found" });
  });
});
