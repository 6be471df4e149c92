import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { memberships, personalApiTokens } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findUserByEmail } from "@/lib/data/users";
import { typoOf } from "@/lib/oauth/testing";
import { authenticateApiToken, createApiToken, revokeApiToken } from "./api-tokens";

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
