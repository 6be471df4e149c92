import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { createMachine } from "@/lib/oauth/machine";
import { basic, cliContext, directMount, provisionClient } from "@/lib/oauth/testing";
import { findPgbouncer, freePort, startPgbouncer } from "@/scripts/pgbouncer.mjs";
import { type DatabaseHandle, driverOptions, openDatabase, type PoolMode } from "./client";
import { anOrganisation } from "./testing/builders";
import { postgresServerConfigured } from "./testing/race";
import { createTestDatabase } from "./testing/test-database";

/*
 * DATABASE_POOL_MODE=transaction (docs/operations.md, "Connection pooling"): behind PgBouncer's
 * transaction pooling a client's next transaction may run on another server connection, where a
 * statement it prepared by name does not exist. Three instances' pools run transactions at once
 * through a PgBouncer of the test's own, with fewer server connections than clients: with the
 * setting every transaction succeeds; without it (the cause the setting exists for) some fail.
 */

describe("the pool mode", () => {
  it("prepares no named statement behind transaction pooling, and does by default", () => {
    expect(driverOptions("transaction").prepare).toBe(false);
    expect(driverOptions("session").prepare).toBe(true);
    expect(driverOptions().prepare).toBe(true);
  });
});

const skipReason = !postgresServerConfigured()
  ? "needs a Postgres server (set DATABASE_URL)"
  : findPgbouncer() === null
    ? "needs pgbouncer (Debian: apt-get install pgbouncer)"
    : null;

describe("through PgBouncer in transaction mode", () => {
  let bouncer: Awaited<ReturnType<typeof startPgbouncer>> | null = null;
  let database: (DatabaseHandle & { url?: string }) | null = null;

  beforeAll(async () => {
    if (skipReason) return;
    database = await createTestDatabase();
    bouncer = await startPgbouncer(database.url!, await freePort());
    // The bouncer's URL names the test database: its pool there has 10 server connections.
  }, 60_000);
  afterAll(async () => {
    await bouncer?.stop();
    await database?.close();
  });

  /**
   * Failed transactions out of 3 instances x 30 concurrent transactions of two parameterised
   * statements, on postgres.js pools (max 10, as db/client.ts opens them) with the pool mode's options.
   */
  async function failures(poolMode: PoolMode): Promise<number> {
    const instances = [1, 2, 3].map(() => postgres(bouncer!.url, { max: 10, ...driverOptions(poolMode) }));
    try {
      const results = await Promise.allSettled(
        instances.flatMap((client) =>
          Array.from({ length: 30 }, (_, i) =>
            client.begin(async (tx) => {
              await tx`select ${i}::int + 1 as n`;
              await tx`select ${`t${i}`}::text as t, ${i}::int as k`;
            }),
          ),
        ),
      );
      return results.filter((r) => r.status === "rejected").length;
    } finally {
      await Promise.all(instances.map((client) => client.end()));
    }
  }

  it("answers token requests at once through the application's own handle (the token store's named statements)", async (context) => {
    context.skip(skipReason !== null, skipReason ?? "");
    const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
    const org = await anOrganisation(database!.db, { name: "Northwind Insurance" });
    const client = await provisionClient(cliContext(database!.db, org, keyRing));
    const handle = await openDatabase({ url: bouncer!.url, poolMode: "transaction" });
    const machine = createMachine({ db: handle.db, keyRing, issuer: "https://auth.rotor.test", background: false, log: () => {} });
    try {
      const mount = directMount(machine, "https://auth.rotor.test");
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () =>
          mount
            .fetch("/oauth/token", {
              method: "POST",
              headers: { authorization: basic(client.clientId, client.secret), "content-type": "application/x-www-form-urlencoded" },
              body: "grant_type=client_credentials",
            })
            .then((r) => r.status),
        ),
      );
      expect(statuses).toEqual(Array(30).fill(200));
      await machine.usage.flush();
    } finally {
      await machine.stop();
      await handle.close();
    }
  }, 120_000);

  it("runs every transaction with DATABASE_POOL_MODE=transaction", async (context) => {
    context.skip(skipReason !== null, skipReason ?? "");
    expect(await failures("transaction")).toBe(0);
  }, 120_000);

  it("loses transactions to missing prepared statements without it", async (context) => {
    context.skip(skipReason !== null, skipReason ?? "");
    expect(await failures("session")).toBeGreaterThan(0);
  }, 120_000);
});
