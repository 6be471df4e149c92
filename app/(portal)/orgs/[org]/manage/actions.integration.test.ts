import { randomBytes, randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { notFound } from "next/navigation";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseHandle } from "@/db/client";
import { offices } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { fromError, idle, UNEXPECTED_ERROR_MESSAGE, UNSTORABLE_VALUE_MESSAGE } from "@/lib/action-state";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { captureLogs } from "@/lib/log/testing";
import { NUL_MESSAGE } from "@/lib/text-field";

/*
 * A server action as the browser calls it, on a real database; only the session (who is asking)
 * and Next's request scope are stood in for. Bad input is a field message, and anything else that
 * fails is a plain message and a log line without the query's parameters, never an error page.
 */
const state = vi.hoisted(() => ({ db: null as Database | null, organisation: null as OrganisationDto | null }));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/auth/actor", () => ({ actorFor: async () => ({ type: "user", userId: null, label: "alice.admin@northwind.example" }) }));
vi.mock("@/lib/auth/caller", () => ({
  requireOrganisationAccess: async () => ({
    caller: { userId: "u", name: "Alice", email: "alice.admin@northwind.example", isOperator: false, organisations: [] },
    organisation: state.organisation,
    role: "admin",
  }),
}));

const { addOfficeAction } = await import("./actions");

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  state.db = handle.db;
  await seedDemoData(handle.db, { now: new Date(), keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
  state.organisation = await findOrganisationBySlug(handle.db, "northwind");
});
afterAll(async () => handle?.close());

const officeForm = (name: string) => {
  const form = new FormData();
  for (const [k, v] of Object.entries({ name, addressLine1: "1 Park Row", town: "Leeds", postcode: "LS1 5AB", country: "GB" }))
    form.set(k, v);
  return form;
};
const officeCount = async () =>
  (await handle.db.select({ n: count() }).from(offices).where(eq(offices.organisationId, state.organisation!.id)))[0]?.n;

/** The error lines logged meanwhile (lib/log/logger.ts), by message. */
function capturedErrors() {
  const logs = captureLogs("error");
  return {
    get lines() {
      return logs.messages();
    },
    restore: logs.restore,
  };
}

describe("a server action given what the database cannot store", () => {
  it("answers a NUL in a form field with that field's message, and writes nothing", async () => {
    const before = await officeCount();
    const result = await addOfficeAction("northwind", idle, officeForm(`Leeds${"\u0000"}hub`));
    expect(result).toMatchObject({ status: "error", fieldErrors: { name: NUL_MESSAGE } });
    expect(await officeCount()).toBe(before);
  });

  it("answers a failing database with a plain message, and logs the failure without the query's parameters", async () => {
    const marker = `Office ${randomUUID()}`;
    const errors = capturedErrors();
    await handle.db.execute(sql`alter table ${offices} rename to office_away`);
    try {
      const result = await addOfficeAction("northwind", idle, officeForm(marker));
      expect(result).toEqual({ status: "error", message: UNEXPECTED_ERROR_MESSAGE, values: expect.objectContaining({ name: marker }) });
      expect(errors.lines).toEqual(["server action: unexpected DrizzleQueryError (code 42P01)"]);
    } finally {
      await handle.db.execute(sql`alter table office_away rename to ${offices}`);
      errors.restore();
    }
  });
});

describe("fromError", () => {
  it("tells the submitter to remove a character the database refused (SQLSTATE class 22), logging no parameter", async () => {
    const marker = `param-${randomUUID()}`;
    const error = await handle.db.execute(sql`select ${marker}::uuid`).then(
      () => null,
      (e: unknown) => e,
    );
    const lines: string[] = [];
    expect(fromError(error, { name: "x" }, (l) => lines.push(l))).toEqual({
      status: "error",
      message: UNSTORABLE_VALUE_MESSAGE,
      values: { name: "x" },
    });
    expect(lines).toEqual(["server action: unexpected DrizzleQueryError (code 22P02)"]);
  });

  it("rethrows Next's own control flow (notFound, forbidden, redirect) for Next to handle", () => {
    let thrown: unknown;
    try {
      notFound();
    } catch (error) {
      thrown = error;
    }
    expect(() => fromError(thrown, undefined, () => {})).toThrow(thrown as Error);
  });
});
