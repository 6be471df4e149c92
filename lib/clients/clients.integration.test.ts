import { randomBytes } from "node:crypto";
import { desc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, platformSettings } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { aClient } from "@/db/testing/builders";
import { cliIn, personIn } from "@/db/testing/contexts";
import { createTestDatabase } from "@/db/testing/test-database";
import type { OrganisationContext } from "@/lib/context";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { ClientDto } from "@/lib/data/clients";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import { createClient } from "@/lib/organisations/create-client";
import { createClientInput } from "@/lib/organisations/schemas";
import { disableClient } from "./disable-client";
import { enableClient } from "./enable-client";
import { updateClientSettingsInput } from "./schemas";
import { updateClientSettings } from "./update-client-settings";

const now = new Date("2026-05-04T10:00:00.000Z");
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
  // The demo's platform allows two audiences only; these tests use their own.
  await handle.db.update(platformSettings).set({ allowedAudiences: [] });
});
afterAll(async () => handle?.close());

/** A refusal as a plain object, so a test compares all of it: code, message and field. */
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => {
      if (!(e instanceof DomainError)) throw e;
      return { code: e.code, message: e.message, field: e.field };
    },
  );

async function person(email: string, slug: string, role: OrganisationContext["role"], isOperator: boolean) {
  const organisation = await findOrganisationBySlug(handle.db, slug);
  const u = await findUserByEmail(handle.db, email);
  return personIn(handle.db, organisation!, { userId: u!.id, label: email, role, isOperator }, now);
}
const operator = () => person("operator@rotor.example", "northwind", null, true);
const alice = () => person("alice.admin@northwind.example", "northwind", "admin", false);
async function aNorthwindClient(overrides: Partial<ClientDto> = {}) {
  const org = await findOrganisationBySlug(handle.db, "northwind");
  return aClient(handle.db, org!, {
    allowedScopes: ["claims:read"],
    allowedAudiences: ["https://a.example/", "https://b.example/"],
    defaultAudience: "https://a.example/",
    ...overrides,
  });
}
async function lastEvent() {
  const [event] = await handle.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return event;
}

describe("a client's settings", () => {
  it("are changed by the operator, only what changed audited with before and after, in the same transaction", async () => {
    const client = await aNorthwindClient();
    const ctx = await operator();
    const updated = await updateClientSettings(
      ctx,
      updateClientSettingsInput.parse({
        clientId: client.clientId,
        scopes: ["claims:read", "claims:write"],
        defaultAudience: "https://b.example/",
        tokenTtlSeconds: "900",
        accessTokenAlg: "RS256",
        legacyAudience: true,
      }),
    );
    expect(updated).toEqual({
      ...client,
      allowedScopes: ["claims:read", "claims:write"],
      defaultAudience: "https://b.example/",
      accessTokenTtlSeconds: 900,
      accessTokenAlg: "RS256",
      legacyAudience: true,
    });
    expect(await lastEvent()).toEqual({
      id: expect.any(Number),
      organisationId: ctx.organisation.id,
      actorType: "user",
      actorUserId: ctx.actor.userId,
      actorLabel: "operator@rotor.example",
      action: "client.settings_updated",
      targetType: "oauth_client",
      targetId: client.id,
      metadata: {
        clientId: client.clientId,
        before: {
          scopes: ["claims:read"],
          defaultAudience: "https://a.example/",
          tokenTtlSeconds: 3600,
          accessTokenAlg: "ES256",
          legacyAudience: false,
        },
        after: {
          scopes: ["claims:read", "claims:write"],
          defaultAudience: "https://b.example/",
          tokenTtlSeconds: 900,
          accessTokenAlg: "RS256",
          legacyAudience: true,
        },
      },
      ip: null,
      userAgent: null,
      occurredAt: expect.any(Date),
    });
  });

  it("keep the default while it stays among the audiences, take the only one left, and drop to none with the audiences", async () => {
    const client = await aNorthwindClient();
    const ctx = cliIn(handle.db, (await operator()).organisation, now);
    const kept = await updateClientSettings(ctx, { clientId: client.clientId, audiences: ["https://c.example/", "https://a.example/"] });
    expect([kept.allowedAudiences, kept.defaultAudience]).toEqual([["https://c.example/", "https://a.example/"], "https://a.example/"]);
    const only = await updateClientSettings(ctx, { clientId: client.clientId, audiences: ["https://c.example/"] });
    expect([only.allowedAudiences, only.defaultAudience]).toEqual([["https://c.example/"], "https://c.example/"]);
    const none = await updateClientSettings(ctx, { clientId: client.clientId, audiences: [] });
    expect([none.allowedAudiences, none.defaultAudience]).toEqual([[], null]);
  });

  it("refuse a default that is not among the audiences, and never pick one silently among several", async () => {
    const client = await aNorthwindClient();
    const ctx = await operator();
    expect(await refusal(updateClientSettings(ctx, { clientId: client.clientId, defaultAudience: "https://z.example/" }))).toEqual({
      code: "invalid",
      message: "The default audience must be one of the client's audiences: https://a.example/, https://b.example/.",
      field: "defaultAudience",
    });
    expect(
      await refusal(updateClientSettings(ctx, { clientId: client.clientId, audiences: ["https://c.example/", "https://d.example/"] })),
    ).toEqual({
      code: "invalid",
      message:
        "The default audience https://a.example/ is no longer among the audiences. Choose the default audience among https://c.example/, https://d.example/.",
      field: "defaultAudience",
    });
    const bare = await aNorthwindClient({ allowedAudiences: [], defaultAudience: null });
    expect(await refusal(updateClientSettings(ctx, { clientId: bare.clientId, defaultAudience: "https://a.example/" }))).toEqual({
      code: "invalid",
      message: "A client without audiences has the platform's own API as its default; add the audience first.",
      field: "defaultAudience",
    });
  });

  it("refuse an audience the platform does not allow", async () => {
    const client = await aNorthwindClient();
    await handle.db.update(platformSettings).set({ allowedAudiences: ["https://a.example/"] });
    try {
      expect(
        await refusal(updateClientSettings(await operator(), { clientId: client.clientId, audiences: ["https://evil.example/"] })),
      ).toEqual({
        code: "invalid",
        message: "The platform does not allow the audience https://evil.example/; allowed: https://a.example/.",
        field: "audiences",
      });
    } finally {
      await handle.db.update(platformSettings).set({ allowedAudiences: [] });
    }
  });

  it("are the platform operator's: an admin is refused, and another organisation's client is not found", async () => {
    const client = await aNorthwindClient();
    const forbidden = { code: "forbidden", message: "Only the platform operator can do this.", field: undefined };
    expect(await refusal(updateClientSettings(await alice(), { clientId: client.clientId, scopes: [] }))).toEqual(forbidden);
    expect(await refusal(disableClient(await alice(), { clientId: client.clientId }))).toEqual(forbidden);
    expect(await refusal(enableClient(await alice(), { clientId: client.clientId }))).toEqual(forbidden);
    const inFinvu = await person("operator@rotor.example", "finvu", null, true);
    expect(await refusal(updateClientSettings(inFinvu, { clientId: client.clientId, scopes: [] }))).toEqual({
      code: "not_found",
      message: `There is no client ${client.clientId} in this organisation.`,
      field: "clientId",
    });
    expect(await refusal(disableClient(inFinvu, { clientId: client.clientId }))).toEqual({
      code: "not_found",
      message: `There is no client ${client.clientId} in this organisation.`,
      field: "clientId",
    });
  });

  it("are validated with messages that say what to give", () => {
    const issues = (input: unknown) =>
      updateClientSettingsInput.safeParse(input).error?.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    expect(
      issues({ clientId: "no", scopes: ["has space"], audiences: ["not a uri"], tokenTtlSeconds: "30", accessTokenAlg: "HS256" }),
    ).toEqual([
      { path: "clientId", message: "A client ID is 8 to 64 letters, digits, - or _." },
      { path: "scopes.0", message: "A scope is printable characters without spaces or quotes." },
      { path: "audiences.0", message: "An audience is an absolute URI without a fragment, e.g. https://api.example.com/." },
      { path: "tokenTtlSeconds", message: "Access tokens live at least 60 seconds." },
      { path: "accessTokenAlg", message: "The signing algorithm is ES256 or RS256." },
    ]);
    expect(issues({ clientId: "abcdefgh", tokenTtlSeconds: "86401" })).toEqual([
      { path: "tokenTtlSeconds", message: "Access tokens live at most 86400 seconds (a day)." },
    ]);
  });
});

describe("creating a client", () => {
  it("needs the default audience named among several, and takes the only one as the default", async () => {
    const input = { name: "Gateway", audiences: ["https://a.example/", "https://b.example/"] };
    expect(createClientInput.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["defaultAudience", "Choose the default audience among https://a.example/, https://b.example/."],
    ]);
    expect(
      createClientInput
        .safeParse({ ...input, defaultAudience: "https://c.example/" })
        .error?.issues.map((i) => [i.path.join("."), i.message]),
    ).toEqual([["defaultAudience", "The default audience must be one of the client's audiences: https://a.example/, https://b.example/."]]);
    const ctx = await operator();
    const { client } = await createClient(ctx, createClientInput.parse({ ...input, defaultAudience: "https://b.example/" }));
    expect(client.defaultAudience).toBe("https://b.example/");
    expect((await lastEvent())?.metadata).toEqual({
      clientId: client.clientId,
      name: "Gateway",
      scopes: [],
      audiences: ["https://a.example/", "https://b.example/"],
      defaultAudience: "https://b.example/",
      tokenTtlSeconds: 3600,
      accessTokenAlg: "ES256",
      legacyAudience: false,
    });
    expect(createClientInput.parse({ name: "One", audiences: ["https://a.example/"] }).defaultAudience).toBe("https://a.example/");
    expect(createClientInput.parse({ name: "None" }).defaultAudience).toBeNull();
  });
});

describe("disabling and enabling a client", () => {
  it("records since when it is disabled, audits both, and refuses doing either twice", async () => {
    const client = await aNorthwindClient();
    const ctx = await operator();
    const disabled = await disableClient(ctx, { clientId: client.clientId });
    expect(disabled).toEqual({ ...client, disabledAt: now });
    expect(await lastEvent()).toEqual({
      id: expect.any(Number),
      organisationId: ctx.organisation.id,
      actorType: "user",
      actorUserId: ctx.actor.userId,
      actorLabel: "operator@rotor.example",
      action: "client.disabled",
      targetType: "oauth_client",
      targetId: client.id,
      metadata: { clientId: client.clientId },
      ip: null,
      userAgent: null,
      occurredAt: expect.any(Date),
    });
    expect(await refusal(disableClient(ctx, { clientId: client.clientId }))).toEqual({
      code: "conflict",
      message: `Client ${client.clientId} is already disabled, since 2026-05-04T10:00:00.000Z.`,
      field: undefined,
    });
    const enabled = await enableClient(ctx, { clientId: client.clientId });
    expect(enabled).toEqual({ ...client, disabledAt: null });
    expect(await lastEvent()).toEqual({
      id: expect.any(Number),
      organisationId: ctx.organisation.id,
      actorType: "user",
      actorUserId: ctx.actor.userId,
      actorLabel: "operator@rotor.example",
      action: "client.enabled",
      targetType: "oauth_client",
      targetId: client.id,
      metadata: { clientId: client.clientId, disabledAt: "2026-05-04T10:00:00.000Z" },
      ip: null,
      userAgent: null,
      occurredAt: expect.any(Date),
    });
    expect(await refusal(enableClient(ctx, { clientId: client.clientId }))).toEqual({
      code: "conflict",
      message: `Client ${client.clientId} is not disabled.`,
      field: undefined,
    });
  });
});
