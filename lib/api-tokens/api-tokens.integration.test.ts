import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { memberships, personalApiTokens } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { cliPlatform, personOnPlatform } from "@/db/testing/contexts";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { typoOf } from "@/lib/oauth/testing";
import { addOperator } from "@/lib/organisations/add-operator";
import { removeOperator } from "@/lib/organisations/remove-operator";
import { authenticateApiToken, createApiToken, createPlatformApiToken, identifyApiToken, revokeApiToken } from "./api-tokens";

const now = new Date();
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
});
afterAll(async () => handle?.close());

async function person(email: string) {
  const u = await findUserByEmail(handle.db, email);
  if (!u) throw new Error(email);
  return { userId: u.id, label: email };
}

describe("personal API tokens (seed 001's user token)", () => {
  it("are created only by the designated user, and authenticate as them in their organisation", async () => {
    const spoc = await person("api-team@northwind.example");
    const { value } = await createApiToken(
      handle.db,
      spoc,
      { organisation: "northwind", name: "pipeline", scope: "rotate", expiresInDays: 30 },
      now,
    );
    expect(value).toMatch(/^rtr_pat_/);
    const principal = await authenticateApiToken(handle.db, `Bearer ${value}`, now);
    expect(principal?.organisation.slug).toBe("northwind");
    expect(principal?.role).toBe("spoc");
    const admin = await person("alice.admin@northwind.example");
    await expect(
      createApiToken(handle.db, admin, { organisation: "northwind", name: "x", scope: "rotate", expiresInDays: 30 }, now),
    ).rejects.toThrow(/designated user/);
    await expect(
      createApiToken(handle.db, spoc, { organisation: "finvu", name: "x", scope: "rotate", expiresInDays: 30 }, now),
    ).rejects.toThrow(/not a member/);
  });

  it("are stored only as a digest", async () => {
    const spoc = await person("api-team@northwind.example");
    const { id, value } = await createApiToken(
      handle.db,
      spoc,
      { organisation: "northwind", name: "digest", scope: "rotate", expiresInDays: 7 },
      now,
    );
    const [row] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, id));
    expect(JSON.stringify(row)).not.toContain(value.slice(8, -6));
  });

  it("stop working when expired, revoked, mistyped, or when their owner is de-activated", async () => {
    const spoc = await person("api-team@northwind.example");
    const { id, value } = await createApiToken(
      handle.db,
      spoc,
      { organisation: "northwind", name: "lifecycle", scope: "rotate", expiresInDays: 7 },
      now,
    );
    expect(await authenticateApiToken(handle.db, `Bearer ${value}`, new Date(now.getTime() + 8 * 86_400_000))).toBeNull();
    expect(await authenticateApiToken(handle.db, `Bearer ${typoOf(value)}`, now)).toBeNull();
    expect(await authenticateApiToken(handle.db, value, now)).toBeNull();

    await handle.db
      .update(memberships)
      .set({ status: "deactivated", deactivatedAt: now })
      .where(and(eq(memberships.userId, spoc.userId), eq(memberships.role, "spoc")));
    expect(await authenticateApiToken(handle.db, `Bearer ${value}`, now)).toBeNull();
    await handle.db
      .update(memberships)
      .set({ status: "active", deactivatedAt: null })
      .where(and(eq(memberships.userId, spoc.userId), eq(memberships.role, "spoc")));
    expect(await authenticateApiToken(handle.db, `Bearer ${value}`, now)).not.toBeNull();

    await revokeApiToken(handle.db, spoc, id, now);
    expect(await authenticateApiToken(handle.db, `Bearer ${value}`, now)).toBeNull();
  });
});

describe("a platform operator's token (scope platform)", () => {
  it("is made by an operator for themselves, or by the CLI for a named operator; never for anyone else", async () => {
    const operator = await person("operator@rotor.example");
    const own = await createPlatformApiToken(personOnPlatform(handle.db, { ...operator, isOperator: true }, now), {
      name: "ops",
      expiresInDays: 30,
    });
    expect(await identifyApiToken(handle.db, `Bearer ${own.value}`, now)).toEqual({
      kind: "platform",
      scope: "platform",
      tokenId: own.id,
      tokenName: "ops",
      userId: operator.userId,
      email: "operator@rotor.example",
    });
    // An organisation's endpoints never see it as theirs.
    expect(await authenticateApiToken(handle.db, `Bearer ${own.value}`, now)).toBeNull();
    const viaCli = await createPlatformApiToken(cliPlatform(handle.db, now), {
      name: "cli",
      expiresInDays: 7,
      ownerUserId: operator.userId,
    });
    expect((await identifyApiToken(handle.db, `Bearer ${viaCli.value}`, now))?.kind).toBe("platform");

    const spoc = await person("api-team@northwind.example");
    await expect(
      createPlatformApiToken(personOnPlatform(handle.db, { ...spoc, isOperator: false }, now), { name: "x", expiresInDays: 7 }),
    ).rejects.toMatchObject({ code: "forbidden", message: "Only the platform operator can do this." });
    await expect(
      createPlatformApiToken(cliPlatform(handle.db, now), { name: "x", expiresInDays: 7, ownerUserId: spoc.userId }),
    ).rejects.toMatchObject({ code: "invalid", message: "Only a platform operator can hold a platform token." });
    await expect(
      createPlatformApiToken(personOnPlatform(handle.db, { ...operator, isOperator: true }, now), {
        name: "x",
        expiresInDays: 7,
        ownerUserId: spoc.userId,
      }),
    ).rejects.toMatchObject({ code: "forbidden", message: "You can create API tokens for yourself only." });
  });

  it("belongs to no organisation, and the database refuses one that does (or an organisation token without one)", async () => {
    const operator = await person("operator@rotor.example");
    const { id } = await createPlatformApiToken(cliPlatform(handle.db, now), {
      name: "row",
      expiresInDays: 7,
      ownerUserId: operator.userId,
    });
    const [row] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, id));
    expect([row?.scope, row?.organisationId]).toEqual(["platform", null]);
    const northwind = await findOrganisationBySlug(handle.db, "northwind");
    await expect(
      handle.db.update(personalApiTokens).set({ organisationId: northwind!.id }).where(eq(personalApiTokens.id, id)),
    ).rejects.toThrow();
    await expect(handle.db.update(personalApiTokens).set({ scope: "read" }).where(eq(personalApiTokens.id, id))).rejects.toThrow();
  });

  it("ends with its owner's place among the operators; the last operator cannot be removed", async () => {
    await addOperator(cliPlatform(handle.db, now), { email: "leaving.operator@rotor.example" });
    const leaving = await person("leaving.operator@rotor.example");
    const { value } = await createPlatformApiToken(cliPlatform(handle.db, now), {
      name: "leaving",
      expiresInDays: 7,
      ownerUserId: leaving.userId,
    });
    expect(await removeOperator(cliPlatform(handle.db, now), { email: "leaving.operator@rotor.example" })).toEqual({ apiTokensRevoked: 1 });
    expect(await identifyApiToken(handle.db, `Bearer ${value}`, now)).toBeNull();
    await expect(removeOperator(cliPlatform(handle.db, now), { email: "leaving.operator@rotor.example" })).rejects.toMatchObject({
      code: "not_found",
      message: "leaving.operator@rotor.example is not a platform operator.",
    });
    await expect(removeOperator(cliPlatform(handle.db, now), { email: "operator@rotor.example" })).rejects.toMatchObject({
      code: "conflict",
      message: "operator@rotor.example is the last platform operator; add another first.",
    });
  });
});
