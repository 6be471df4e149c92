import { generateKeyPairSync } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { cliIn, personIn } from "@/db/testing/contexts";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import { listClients } from "@/lib/data/client-credentials";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { rows } from "@/lib/data/sql-rows";
import { findUserByEmail } from "@/lib/data/users";
import { type ApiTestState, seededApiDatabase } from "./testing";

/*
 * GET /api/v1/audit-events (docs/domain.md, "The audit log") on a real database: the filters,
 * cursor paging that yields every event exactly once, one organisation's events only, bad
 * parameters named in a 422; and, over every event the fixtures and these calls wrote, no secret
 * value, token, sign-in link or private key.
 */
const state = vi.hoisted((): ApiTestState => ({ db: null, handle: null, keyRing: null }));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db, getDatabaseHandle: async () => state.handle }));
vi.mock("@/lib/crypto/key-ring-loader", () => ({ loadKeyRing: () => state.keyRing }));

const { listAuditEventsEndpoint, rotateSecretEndpoint, registerKeyEndpoint, revealSecretEndpoint, listSecretsEndpoint } = await import(
  "./endpoints"
);

let handle: DatabaseHandle;
let northwindToken = "";
let finvuToken = "";
let clientId = "";
let clientName = "";
/** Every secret, token and private key this file made: none may appear in an audit event. */
const madeValues: string[] = [];

type Endpoint = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
const call = (endpoint: Endpoint, token: string, query = "", params: Record<string, string> = {}, init: RequestInit = {}) =>
  endpoint(
    new Request(`https://rotor.example/api/v1/audit-events${query}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    }),
    { params: Promise.resolve(params) },
  );

interface Page {
  events: {
    id: string;
    action: string;
    occurredAt: string;
    actor: { label: string; type: string };
    source: string;
    target: { name: string } | null;
    organisation: { slug: string } | null;
  }[];
  nextCursor: string | null;
}
const page = async (token: string, query: string): Promise<Page> => {
  const res = await call(listAuditEventsEndpoint, token, query);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
};

/** Every page after the first, by nextCursor, until it is null. */
async function everyEvent(token: string, query: string): Promise<Page["events"]> {
  const all: Page["events"] = [];
  const params = new URLSearchParams(query);
  let cursor: string | null = null;
  do {
    if (cursor) params.set("cursor", cursor);
    const next: Page = await page(token, `?${params}`);
    all.push(...next.events);
    cursor = next.nextCursor;
  } while (cursor);
  return all;
}

async function tokenFor(email: string, organisation: string): Promise<string> {
  const user = await findUserByEmail(handle.db, email);
  const made = await createApiToken(
    handle.db,
    { userId: user!.id, label: email },
    { organisation, name: "audit", scope: "rotate", expiresInDays: 7 },
    new Date(),
  );
  madeValues.push(made.value);
  return made.value;
}

beforeAll(async () => {
  handle = await seededApiDatabase(state);
  northwindToken = await tokenFor("api-team@northwind.example", "northwind");
  finvuToken = await tokenFor("secret-rotation@finvu.example", "finvu");
  const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
  // Changes through the API, so the trail holds a rotation, reveals and a key registration: on
  // the first client with room for a second live secret.
  for (const client of await listClients(handle.db, northwind)) {
    const rotated = await call(
      rotateSecretEndpoint,
      northwindToken,
      "",
      { clientId: client.clientId },
      { method: "POST", body: JSON.stringify({ label: "audit test" }) },
    );
    if (rotated.status !== 201) continue;
    clientId = client.clientId;
    clientName = client.name;
    const newSecret = await rotated.json();
    if (newSecret.value) madeValues.push(newSecret.value);
    break;
  }
  expect(clientId).not.toBe("");
  const secrets = (await (await call(listSecretsEndpoint, northwindToken, "", { clientId })).json()).secrets as { id: string }[];
  for (const s of secrets) {
    const revealed = await call(revealSecretEndpoint, northwindToken, "", { clientId, secretId: s.id });
    if (revealed.ok) madeValues.push((await revealed.json()).value);
  }
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  madeValues.push(privateKey.export({ format: "pem", type: "pkcs8" }).toString());
  madeValues.push(String(privateKey.export({ format: "jwk" }).d));
  const key = await call(
    registerKeyEndpoint,
    northwindToken,
    "",
    { clientId },
    { method: "POST", body: JSON.stringify({ key: publicKey.export({ format: "pem", type: "spki" }).toString(), kid: "audit-key" }) },
  );
  expect(key.status).toBe(201);
});
afterAll(async () => handle?.close());

describe("GET /api/v1/audit-events", () => {
  it("answers the organisation's events newest first, in plain words, with the actor, source and target by name", async () => {
    const { events } = await page(northwindToken, "?limit=200");
    expect(events.length).toBeGreaterThan(3);
    const times = events.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const registered = events.find((e) => e.action === "key.registered");
    expect(registered).toMatchObject({
      actor: { type: "api_token", label: 'api-team@northwind.example (API token "audit")' },
      source: "api",
      target: { name: `audit-key (client ${clientName})` },
    });
    // A secret by its tail and label, and the client it belongs to.
    expect(events.find((e) => e.action === "secret.rotated")?.target?.name).toMatch(
      new RegExp(`^ending \\S+ "audit test" \\(client ${clientName.replace(/[()]/g, "\\$&")}\\)$`),
    );
  });

  it("filters by action, actor type, actor text, target and time, each alone and together", async () => {
    const all = await everyEvent(northwindToken, "?limit=200");
    const rotations = await everyEvent(northwindToken, "?action=secret.rotated");
    expect(rotations.length).toBeGreaterThan(0);
    expect(rotations.map((e) => e.id)).toEqual(all.filter((e) => e.action === "secret.rotated").map((e) => e.id));

    const byApi = await everyEvent(northwindToken, "?actorType=api_token");
    expect(byApi.map((e) => e.id)).toEqual(all.filter((e) => e.actor.type === "api_token").map((e) => e.id));

    const byText = await everyEvent(northwindToken, "?actor=API%20TOKEN%20%22AUDIT");
    expect(byText.map((e) => e.id)).toEqual(byApi.map((e) => e.id));

    const byKid = await everyEvent(northwindToken, "?target=audit-key&targetType=client_public_key");
    expect(byKid.map((e) => e.action)).toEqual(["key.registered"]);

    const newest = all[0]!;
    const fromNewest = await everyEvent(northwindToken, `?from=${encodeURIComponent(newest.occurredAt)}`);
    expect(fromNewest.map((e) => e.id)).toEqual(all.filter((e) => e.occurredAt >= newest.occurredAt).map((e) => e.id));
    const beforeNewest = await everyEvent(northwindToken, `?to=${encodeURIComponent(newest.occurredAt)}`);
    expect(beforeNewest.length + fromNewest.length).toBe(all.length);
  });

  it("pages through every event exactly once, whatever the page size", async () => {
    const all = (await page(northwindToken, "?limit=200")).events.map((e) => e.id);
    for (const limit of [1, 2, 3]) {
      const paged = (await everyEvent(northwindToken, `?limit=${limit}`)).map((e) => e.id);
      expect(paged).toEqual(all);
    }
  });

  it("pages correctly through events written in one instant (the same occurred_at)", async () => {
    const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
    await handle.db.execute(sql`
      insert into audit_event (organisation_id, actor_type, actor_label, action, metadata, occurred_at)
      select ${finvu.id}, 'system', 'Scheduler', 'session.demo_sign_in', '{}'::jsonb, '2020-01-01T00:00:00.123456Z'::timestamptz
      from generate_series(1, 5)`);
    const same = await everyEvent(finvuToken, "?limit=2&to=2020-01-02T00:00:00Z");
    expect(same).toHaveLength(5);
    expect(new Set(same.map((e) => e.id)).size).toBe(5);
  });

  it("never shows another organisation's events", async () => {
    const northwind = (await page(northwindToken, "?limit=200")).events;
    const finvu = await everyEvent(finvuToken, "?limit=200");
    expect(northwind.every((e) => e.organisation?.slug === "northwind")).toBe(true);
    expect(finvu.every((e) => e.organisation?.slug === "finvu")).toBe(true);
    const northwindIds = new Set(northwind.map((e) => e.id));
    expect(finvu.some((e) => northwindIds.has(e.id))).toBe(false);
    // Another organisation's event by its own id or client is no match either.
    expect((await page(finvuToken, `?target=${encodeURIComponent(clientId)}`)).events).toEqual([]);
  });

  it.each([
    ["cursor=bm90LWEtY3Vyc29y", "cursor"],
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["limit=ten", "limit"],
    ["action=secret.stolen", "action"],
    ["actorType=robot", "actorType"],
    ["targetType=planet", "targetType"],
    ["from=yesterday", "from"],
    ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
  ])("refuses %s with a 422 naming %s", async (query, field) => {
    const res = await call(listAuditEventsEndpoint, northwindToken, `?${query}`);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("refuses an unknown parameter rather than ignoring a misspelt filter", async () => {
    const res = await call(listAuditEventsEndpoint, northwindToken, "?acton=secret.rotated");
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].message).toMatch(/^Unknown query parameter acton; the filters are /);
  });

  it("refuses a call without a valid token", async () => {
    expect((await call(listAuditEventsEndpoint, "rtr_pat_nope", "")).status).toBe(401);
  });
});

describe("the portal's Newer and Older links", () => {
  it("go back from any page to exactly the page before it", async () => {
    const { searchAuditEvents } = await import("@/lib/audit/search-audit-events");
    const ctx = cliIn(handle.db, (await findOrganisationBySlug(handle.db, "northwind"))!);
    const first = await searchAuditEvents(ctx, { limit: 2 });
    expect(first.newerCursor).toBeNull();
    const second = await searchAuditEvents(ctx, { limit: 2, cursor: first.nextCursor! });
    const third = await searchAuditEvents(ctx, { limit: 2, cursor: second.nextCursor! });
    const backToSecond = await searchAuditEvents(ctx, { limit: 2, cursor: third.newerCursor! });
    expect(backToSecond.events.map((e) => e.id)).toEqual(second.events.map((e) => e.id));
    const backToFirst = await searchAuditEvents(ctx, { limit: 2, cursor: backToSecond.newerCursor! });
    expect(backToFirst.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(backToFirst.newerCursor).toBeNull();
    expect(backToFirst.nextCursor).not.toBeNull();
  });

  it("are refused to a member, who may not read the audit log", async () => {
    const { searchAuditEvents } = await import("@/lib/audit/search-audit-events");
    const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
    const mo = (await findUserByEmail(handle.db, "mo.member@northwind.example"))!;
    const member = personIn(handle.db, northwind, { userId: mo.id, label: "mo", role: "member" });
    await expect(searchAuditEvents(member, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("the audit log's export", () => {
  it("holds exactly the filtered events, every page of them, as CSV and as JSON Lines", async () => {
    const { auditFilterExport } = await import("@/lib/audit/audit-export-response");
    const ctx = cliIn(handle.db, (await findOrganisationBySlug(handle.db, "northwind"))!);
    const expected = (await everyEvent(northwindToken, "?actorType=api_token")).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(1);
    const csv = await (await auditFilterExport(ctx, new URLSearchParams({ format: "csv", actorType: "api_token" }))).text();
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toMatch(/^id,occurredAt,/);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(expected);
    const jsonl = await (await auditFilterExport(ctx, new URLSearchParams({ format: "jsonl", actorType: "api_token" }))).text();
    expect(
      jsonl
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).id),
    ).toEqual(expected);
  });

  it("is refused to a member before anything is sent", async () => {
    const { auditFilterExport } = await import("@/lib/audit/audit-export-response");
    const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
    const mo = (await findUserByEmail(handle.db, "mo.member@northwind.example"))!;
    const member = personIn(handle.db, northwind, { userId: mo.id, label: "mo", role: "member" });
    await expect(auditFilterExport(member, new URLSearchParams({ format: "csv" }))).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("what the audit trail holds", () => {
  it("holds no secret value, token, sign-in link or private key in any event", async () => {
    const events = await rows<Record<string, unknown>>(handle.db, sql`select * from audit_event`);
    expect(events.length).toBeGreaterThan(10);
    expect(madeValues.length).toBeGreaterThanOrEqual(5);
    const forbidden = [/rtr_cs_/, /rtr_pat_/, /eyJ[A-Za-z0-9_-]{10,}/, /-----BEGIN/, /"d"\s*:/, /\/api\/auth\/callback/, /[?&]token=/];
    for (const event of events) {
      const text = JSON.stringify(event);
      for (const value of madeValues) expect(text.includes(value), `event ${event.id} holds a value this test made`).toBe(false);
      for (const pattern of forbidden) expect(text, `event ${event.id}`).not.toMatch(pattern);
    }
  });
});
