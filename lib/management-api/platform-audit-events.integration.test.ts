import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { personOnPlatform } from "@/db/testing/contexts";
import { createApiToken, createPlatformApiToken } from "@/lib/api-tokens/api-tokens";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { type ApiTestState, INVALID_TOKEN, PLATFORM_TOKEN_REQUIRED, seededApiDatabase } from "./testing";

/*
 * GET /api/v1/platform/audit-events (docs/domain.md, "The audit log" and "The management API") on
 * a real database: a platform token reads every organisation's events or one's, with the
 * organisation's endpoint's filters and cursor; no other token may; bad parameters are a 422
 * naming them. And Platform > Audit log's export: exactly the filtered events, every page of
 * them, for an operator only.
 */
const state = vi.hoisted((): ApiTestState => ({ db: null, handle: null, keyRing: null }));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db, getDatabaseHandle: async () => state.handle }));
vi.mock("@/lib/crypto/key-ring-loader", () => ({ loadKeyRing: () => state.keyRing }));

const { listPlatformAuditEventsEndpoint } = await import("./platform-endpoints");
const { listAuditEventsEndpoint } = await import("./endpoints");

let handle: DatabaseHandle;
let operatorToken = "";
let readToken = "";
let operatorUserId = "";

type Endpoint = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(endpoint: Endpoint, token: string, query = "") {
  const response = await endpoint(
    new Request(`https://rotor.example/api/v1/platform/audit-events${query}`, { headers: { authorization: `Bearer ${token}` } }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, challenge: response.headers.get("www-authenticate"), body: await response.json() };
}

interface Page {
  events: { id: string; action: string; occurredAt: string; actor: { type: string }; organisation: { slug: string } | null }[];
  nextCursor: string | null;
}

/** Every page after the first, by nextCursor, until it is null. */
async function everyEvent(endpoint: Endpoint, token: string, query: string): Promise<Page["events"]> {
  const all: Page["events"] = [];
  const params = new URLSearchParams(query);
  let cursor: string | null = null;
  do {
    if (cursor) params.set("cursor", cursor);
    const res = await call(endpoint, token, `?${params}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page: Page = res.body;
    all.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
const everyPlatformEvent = (query: string) => everyEvent(listPlatformAuditEventsEndpoint, operatorToken, query);
const ids = (events: Page["events"]) => events.map((e) => e.id);

beforeAll(async () => {
  handle = await seededApiDatabase(state);
  const operator = (await findUserByEmail(handle.db, "operator@rotor.example"))!;
  operatorUserId = operator.id;
  const ctx = personOnPlatform(handle.db, { userId: operator.id, label: "operator@rotor.example", isOperator: true });
  operatorToken = (await createPlatformApiToken(ctx, { name: "audit pipeline", expiresInDays: 7 })).value;
  // The seed writes a handful of events: eighteen more, in turns to northwind, finvu and the
  // platform itself, two at each instant (so paging must break ties by id), by the scheduler and
  // the CLI; one CLI label starts with "=", which the CSV must not hand a spreadsheet as a formula.
  const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
  const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
  await handle.db.execute(sql`
    insert into audit_event (organisation_id, actor_type, actor_label, action, metadata, occurred_at)
    select case g % 3 when 0 then ${northwind.id}::uuid when 1 then ${finvu.id}::uuid end,
           (case when g % 2 = 0 then 'system' else 'cli' end)::actor_type,
           case when g = 5 then '=HYPERLINK("https://evil.example")' when g % 2 = 0 then 'Scheduler' else 'CLI' end,
           case when g % 4 = 0 then 'secret.expired' else 'session.demo_sign_in' end,
           '{}'::jsonb,
           '2026-01-01T00:00:00.123456Z'::timestamptz + (g / 2) * interval '1 minute'
    from generate_series(1, 18) g`);
  const spoc = (await findUserByEmail(handle.db, "api-team@northwind.example"))!;
  readToken = (
    await createApiToken(
      handle.db,
      { userId: spoc.id, label: "spoc" },
      { organisation: "northwind", name: "reader", scope: "read", expiresInDays: 7 },
      new Date(),
    )
  ).value;
});
afterAll(async () => handle?.close());

describe("GET /api/v1/platform/audit-events", () => {
  it("answers every organisation's events newest first, each naming its organisation", async () => {
    const all = await everyPlatformEvent("limit=200");
    const times = all.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const slugs = new Set(all.map((e) => e.organisation?.slug));
    expect(slugs).toContain("northwind");
    expect(slugs).toContain("finvu");
    // The platform's own events, in no organisation.
    expect(slugs).toContain(undefined);
  });

  it("filters by organisation: exactly that organisation's events, as its designated user reads them", async () => {
    const all = await everyPlatformEvent("limit=200");
    const finvu = await everyPlatformEvent("organisation=finvu");
    expect(finvu.length).toBeGreaterThan(0);
    expect(ids(finvu)).toEqual(ids(all.filter((e) => e.organisation?.slug === "finvu")));
    const northwind = await everyPlatformEvent("organisation=northwind&limit=200");
    expect(ids(northwind)).toEqual(ids(await everyEvent(listAuditEventsEndpoint, readToken, "limit=200")));
  });

  it("takes the organisation's endpoint's filters, alone and with an organisation", async () => {
    const all = await everyPlatformEvent("limit=200");
    const bySystem = await everyPlatformEvent("actorType=system");
    expect(bySystem.length).toBeGreaterThan(0);
    expect(ids(bySystem)).toEqual(ids(all.filter((e) => e.actor.type === "system")));
    const action = all.find((e) => e.organisation?.slug === "northwind")!.action;
    const both = await everyPlatformEvent(`organisation=northwind&action=${action}`);
    expect(both.length).toBeGreaterThan(0);
    expect(ids(both)).toEqual(ids(all.filter((e) => e.organisation?.slug === "northwind" && e.action === action)));
    const newest = all[0]!;
    const before = await everyPlatformEvent(`to=${encodeURIComponent(newest.occurredAt)}`);
    expect(ids(before)).toEqual(ids(all.filter((e) => e.occurredAt < newest.occurredAt)));
  });

  it("pages through every event exactly once, whatever the page size", async () => {
    const all = ids(await everyPlatformEvent("limit=200"));
    expect(all.length).toBeGreaterThan(7);
    for (const limit of [3, 7]) expect(ids(await everyPlatformEvent(`limit=${limit}`))).toEqual(all);
    const first = await call(listPlatformAuditEventsEndpoint, operatorToken, "?limit=3");
    expect(first.body.events).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
  });

  it("refuses a designated user's read token with 403 insufficient_scope", async () => {
    expect(await call(listPlatformAuditEventsEndpoint, readToken, "?organisation=northwind")).toEqual(PLATFORM_TOKEN_REQUIRED);
  });

  it("refuses a call without a valid token", async () => {
    expect(await call(listPlatformAuditEventsEndpoint, "rtr_pat_nope")).toEqual(INVALID_TOKEN);
  });

  /** A 422: a field's own refusal (a DomainError) has its message as the detail; the schema's, a summary. */
  const unprocessable = (errors: { field: string; message: string }[], detail = "The request has invalid fields; see errors.") => ({
    status: 422,
    challenge: null,
    body: { type: "about:blank", title: "Unprocessable content", status: 422, detail, errors },
  });

  it("refuses an organisation that does not exist with a 422 naming it, rather than an empty page", async () => {
    const message = "There is no organisation nowhere.";
    expect(await call(listPlatformAuditEventsEndpoint, operatorToken, "?organisation=nowhere")).toEqual(
      unprocessable([{ field: "organisation", message }], message),
    );
  });

  it("refuses a bad filter with a 422 naming it, as the organisation's endpoint does", async () => {
    expect(await call(listPlatformAuditEventsEndpoint, operatorToken, "?action=secret.stolen&limit=0")).toEqual(
      unprocessable([
        { field: "action", message: "action is one of the audit catalogue's actions (see the OpenAPI document)." },
        { field: "limit", message: "limit is from 1 to 200." },
      ]),
    );
    expect(await call(listPlatformAuditEventsEndpoint, operatorToken, "?organisations=finvu")).toEqual(
      unprocessable([
        {
          field: "body",
          message:
            "Unknown query parameter organisations; the filters are organisation, from, to, actor, actorType, action, targetType, target, limit and cursor.",
        },
      ]),
    );
    const cursor =
      "cursor is not one this server gave out. Pass nextCursor from the previous page exactly, or leave cursor out for the newest events.";
    expect(await call(listPlatformAuditEventsEndpoint, operatorToken, "?cursor=bm90LWEtY3Vyc29y")).toEqual(
      unprocessable([{ field: "cursor", message: cursor }], cursor),
    );
  });

  it("is not the organisation's endpoint: that one still takes no organisation parameter", async () => {
    const res = await call(listAuditEventsEndpoint, readToken, "?organisation=finvu");
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toMatch(/^Unknown query parameter organisation; the filters are from, /);
  });
});

describe("Platform > Audit log's export", () => {
  const operatorCtx = () => personOnPlatform(handle.db, { userId: operatorUserId, label: "operator", isOperator: true });

  it("holds exactly the filtered events of every organisation, every page of them, with each one's organisation", async () => {
    const { platformAuditFilterExport } = await import("@/lib/audit/audit-export-response");
    const expected = await everyPlatformEvent("actorType=cli");
    expect(expected.length).toBeGreaterThan(3);
    const csv = await (await platformAuditFilterExport(operatorCtx(), new URLSearchParams({ format: "csv", actorType: "cli" }))).text();
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toMatch(/^id,occurredAt,organisation,/);
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual(
      expected.map((e) => `${e.id},${e.occurredAt},${e.organisation?.slug ?? ""}`),
    );
    // A label that would be a formula is text in a spreadsheet (OWASP, CSV injection).
    expect(csv).toContain(`,cli,"'=HYPERLINK(""https://evil.example"")",`);
    const jsonl = await (await platformAuditFilterExport(operatorCtx(), new URLSearchParams({ format: "jsonl", actorType: "cli" }))).text();
    expect(
      jsonl
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).id),
    ).toEqual(ids(expected));
  });

  it("holds one organisation's events when the page is filtered by it, and names the file after it", async () => {
    const { platformAuditFilterExport } = await import("@/lib/audit/audit-export-response");
    const response = await platformAuditFilterExport(operatorCtx(), new URLSearchParams({ format: "jsonl", organisation: "finvu" }));
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-platform-finvu-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    const exported = (await response.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(exported.map((e) => e.id)).toEqual(ids(await everyPlatformEvent("organisation=finvu&limit=200")));
    expect(new Set(exported.map((e) => e.organisation.slug))).toEqual(new Set(["finvu"]));
  });

  it("asks for a format rather than guessing one", async () => {
    const { platformAuditFilterExport } = await import("@/lib/audit/audit-export-response");
    const response = await platformAuditFilterExport(operatorCtx(), new URLSearchParams({ format: "xlsx" }));
    expect({ status: response.status, text: await response.text() }).toEqual({ status: 422, text: "Choose format=csv or format=jsonl." });
  });

  it("is refused to anyone who is not a platform operator before anything is sent", async () => {
    const { platformAuditFilterExport } = await import("@/lib/audit/audit-export-response");
    const spoc = (await findUserByEmail(handle.db, "api-team@northwind.example"))!;
    const notOperator = personOnPlatform(handle.db, { userId: spoc.id, label: "spoc", isOperator: false });
    await expect(platformAuditFilterExport(notOperator, new URLSearchParams({ format: "csv" }))).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
