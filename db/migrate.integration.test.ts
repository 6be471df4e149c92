import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { env } from "@/lib/env";
import { migrationsFolder } from "./client";
import { migrateUnderLock } from "./migrate";
import journal from "./migrations/meta/_journal.json";
import { raceTest, waitForLockWaiters } from "./testing/race";

/*
 * Instances starting together each migrate (ROTOR_MIGRATE_ON_START, docs/operations.md,
 * "Migrations"): on a fresh database, four runs on four connections, lined up behind the migration
 * lock and let go at once, all succeed; one applies every migration, the others find nothing to
 * do; each migration is recorded once. Without the lock they run the same DDL side by side and
 * all but one fail ("already exists"), or record migrations twice.
 */

const RUNS = 4;
let url = "";
let processesUrl = "";
let instancesUrl = "";
const names: string[] = [];

async function freshDatabase(): Promise<string> {
  const server = env().DATABASE_URL!;
  const name = `rotor_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(server, { max: 1, onnotice: () => {}, prepare: false });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  names.push(name);
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

beforeAll(async () => {
  if (!env().DATABASE_URL) return;
  url = await freshDatabase();
  processesUrl = await freshDatabase();
  instancesUrl = await freshDatabase();
});

afterAll(async () => {
  const server = env().DATABASE_URL;
  if (!server) return;
  const admin = postgres(server, { max: 1, onnotice: () => {}, prepare: false });
  for (const name of names) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

function dbMigrate(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/db-migrate.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ROTOR_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe("migrations under the advisory lock", () => {
  raceTest(
    "four runs at once on a fresh database all succeed, and each migration is applied once",
    async () => {
      // The runs are lined up behind a transaction of the test's that is creating the migrations'
      // schema, so that all are waiting before any can start, whether or not they take the lock
      // (with it, one waits on the schema and the others on the lock); rolled back, the database is
      // fresh again and they all go at once.
      const holder = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
      const held = await holder.reserve();
      await held.unsafe("begin");
      await held.unsafe("create schema drizzle");
      let holding = true;
      const clients = Array.from({ length: RUNS }, () => postgres(url, { max: 1, onnotice: () => {}, prepare: false }));
      try {
        const runs = clients.map((client) => migrateUnderLock(drizzle(client), migrationsFolder));
        const settled = Promise.allSettled(runs);
        await waitForLockWaiters(url, RUNS);
        await held.unsafe("rollback");
        holding = false;
        const results = await settled;
        expect(results.map((r) => r.status)).toEqual(Array(RUNS).fill("fulfilled"));
        const applied = results.map((r) => (r.status === "fulfilled" ? r.value.length : -1)).sort((a, b) => a - b);
        expect(applied).toEqual([...Array(RUNS - 1).fill(0), journal.entries.length]);

        const db = drizzle(clients[0]!);
        const recorded = await db.execute<{ created_at: string; n: number }>(
          sql`select created_at, count(*)::int as n from drizzle.__drizzle_migrations group by created_at`,
        );
        expect(recorded.length).toBe(journal.entries.length);
        expect(recorded.every((row) => row.n === 1)).toBe(true);
        expect(new Set(recorded.map((row) => Number(row.created_at)))).toEqual(new Set(journal.entries.map((e) => e.when)));
        // A further run later finds nothing to do.
        expect(await migrateUnderLock(db, migrationsFolder)).toEqual([]);
      } finally {
        if (holding) await held.unsafe("rollback");
        held.release();
        await Promise.all([...clients.map((c) => c.end()), holder.end()]);
      }
    },
    120_000,
  );

  raceTest(
    "two `npm run db:migrate` processes started together both exit 0, and one of them applied the migrations",
    async () => {
      const results = await Promise.all([dbMigrate(processesUrl), dbMigrate(processesUrl)]);
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const appliedLines = results.filter((r) => /Applied \d+ migration\(s\)/.test(r.output));
      expect(appliedLines).toHaveLength(1);
      expect(appliedLines[0]!.output).toContain(`Applied ${journal.entries.length} migration(s): ${journal.entries[0]!.tag}, `);
    },
    180_000,
  );

  raceTest(
    "two instances started together with ROTOR_MIGRATE_ON_START=true both become ready, and each migration is applied once",
    async () => {
      const ring = `t:${randomBytes(32).toString("base64")}`;
      const start = () => {
        const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/machine-server.ts"], {
          env: {
            ...process.env,
            DATABASE_URL: instancesUrl,
            ROTOR_MIGRATE_ON_START: "true",
            ROTOR_ENCRYPTION_KEYS: ring,
            ROTOR_ENV: "test",
            PORT: "0",
            ROTOR_SHUTDOWN_DRAIN_SECONDS: "0",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stderr.on("data", (d: Buffer) => {
          output += d.toString();
        });
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        const port = new Promise<number>((resolve, reject) => {
          child.stdout.on("data", (d: Buffer) => {
            output += d.toString();
            const m = /machine listening on (\d+)/.exec(output);
            if (m) resolve(Number(m[1]));
          });
          void exited.then((code) => reject(new Error(`instance exited ${code}: ${output}`)));
        });
        return { child, exited, port, output: () => output };
      };
      const instances = [start(), start()];
      try {
        const ports = await Promise.all(instances.map((i) => i.port));
        for (const port of ports) {
          // The first check of a new deployment creates its signing keys, which on a busy machine
          // may outlast a check's 5 s; the load goes on in the background, so a later poll sees it.
          let body: unknown = null;
          for (let attempt = 0; attempt < 100; attempt++) {
            const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
            body = await ready.json();
            if (ready.status === 200) break;
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          expect(body).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", signing_key: "ok" } });
        }
        expect(instances.filter((i) => /Applied \d+ migration\(s\)/.test(i.output()))).toHaveLength(1);
        expect(instances.filter((i) => /Migrations: the database is current\./.test(i.output()))).toHaveLength(1);
        for (const i of instances) i.child.kill("SIGTERM");
        expect(await Promise.all(instances.map((i) => i.exited))).toEqual([0, 0]);
      } finally {
        for (const i of instances) i.child.kill("SIGKILL");
      }
      const client = postgres(instancesUrl, { max: 1, onnotice: () => {}, prepare: false });
      try {
        const rows = await client.unsafe<{ n: number; distinct: number }[]>(
          "select count(*)::int as n, count(distinct created_at)::int as distinct from drizzle.__drizzle_migrations",
        );
        expect(rows[0]).toEqual({ n: journal.entries.length, distinct: journal.entries.length });
      } finally {
        await client.end();
      }
    },
    180_000,
  );
});
