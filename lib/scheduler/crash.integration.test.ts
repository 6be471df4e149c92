import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientSecrets, oauthClients, organisations } from "@/db/schema";
import { postgresServerConfigured, raceTest, runSql } from "@/db/testing/race";
import { createTestDatabase } from "@/db/testing/test-database";
import { digestSecret, generateClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { secretExpiry } from "@/lib/rotation/secret-state";
import { runScheduler } from "./run-scheduler";

/*
 * A scheduler killed in the middle of a run leaves every secret it issued with its audit event
 * (docs/domain.md, "Every change is audited, in the same transaction"). The scheduler is a real
 * process (`npm run cron`) on the Postgres server; the test stops it at the worst moment, while
 * it writes the audit events of secrets it has just inserted (a test-only trigger makes that
 * statement wait), by killing the process and its database connections.
 */

const keySpec = `crash:${randomBytes(32).toString("base64")}`;
const keyRing = parseKeyRing(keySpec);
const CLIENTS = 50;
let handle: (DatabaseHandle & { url?: string }) | null = null;

beforeAll(async () => {
  if (!postgresServerConfigured()) return;
  handle = await createTestDatabase();
  const now = new Date();
  const [org] = await handle.db.insert(organisations).values({ slug: "crash", name: "Crash", autoIssue: true }).returning();
  const clients = await handle.db
    .insert(oauthClients)
    .values(Array.from({ length: CLIENTS }, (_, i) => ({ organisationId: org!.id, clientId: `crash${i}client`, name: `Client ${i}` })))
    .returning();
  // Each client's one secret is ten days from expiry: inside its 30-day overlap, so due.
  const createdAt = new Date(now.getTime() - 170 * 86_400_000);
  await handle.db.insert(clientSecrets).values(
    clients.map((c) => {
      const value = generateClientSecret();
      return {
        clientId: c.id,
        digest: digestSecret(value),
        maskedTail: secretTail(value),
        createdAt,
        expiresAt: secretExpiry(createdAt, { timeZone: org!.timeZone, validityDays: 180, overlapDays: 30 }).expiresAt,
        issuedBy: "seed" as const,
      };
    }),
  );
}, 120_000);
afterAll(async () => handle?.close());

async function waitForPausedAudit(url: string, limitMs = 60_000): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
  const database = new URL(url).pathname.slice(1);
  try {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const [row] = await client<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = ${database} and wait_event = 'PgSleep'`;
      if ((row?.n ?? 0) > 0) return;
      if (Date.now() > deadline) throw new Error("the scheduler never reached its audit events");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

async function unauditedAutoSecrets(url: string): Promise<{ issued: number; unaudited: number }> {
  const client = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
  try {
    const [row] = await client<{ issued: number; unaudited: number }[]>`
      select count(*)::int as issued,
             count(*) filter (where not exists (
               select 1 from audit_event a where a.action = 'secret.auto_issued' and a.target_id = s.id::text))::int as unaudited
      from client_secret s where s.issued_by = 'auto'`;
    return row!;
  } finally {
    await client.end();
  }
}

describe("a scheduler killed mid-run", () => {
  raceTest(
    "leaves no auto-issued secret without its audit event, and the next run issues and audits the rest",
    async () => {
      const url = handle!.url!;
      await runSql(
        url,
        `create function rotor_test_pause() returns trigger language plpgsql as $$ begin perform pg_sleep(600); return null; end $$`,
      );
      await runSql(
        url,
        "create trigger rotor_test_pause before insert on audit_event for each statement execute function rotor_test_pause()",
      );
      // tsx found by module resolution, not at ./node_modules: StrykerJS runs this file in a
      // sandbox folder whose node_modules is the project's, further up (docs/test-strength.md).
      const tsx = createRequire(import.meta.url).resolve("tsx/cli");
      const child = spawn(process.execPath, [tsx, "scripts/cron.ts"], {
        env: {
          ...process.env,
          DATABASE_URL: url,
          ROTOR_ENCRYPTION_KEYS: keySpec,
          ROTOR_ENV: "test",
          ROTOR_DATA_DIR: mkdtempSync(path.join(tmpdir(), "rotor-crash-")),
        },
        stdio: "ignore",
      });
      // A process that never started emits "error" and no "exit": waiting for "exit" alone would hang.
      const exited = new Promise<void>((resolve) => {
        child.on("exit", () => resolve());
        child.on("error", () => resolve());
      });
      try {
        await waitForPausedAudit(url);
      } finally {
        child.kill("SIGKILL");
        await exited;
        // The process is gone; its server sessions are ended as a crash would end them.
        const admin = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${new URL(url).pathname.slice(1)} and pid <> pg_backend_pid()`;
        await admin.end();
      }
      expect((await unauditedAutoSecrets(url)).unaudited).toBe(0);

      await runSql(url, "drop trigger rotor_test_pause on audit_event");
      const summary = await runScheduler({ db: handle!.db, keyRing, publicUrl: "https://rotor.example" }, new Date());
      const after = await unauditedAutoSecrets(url);
      expect(after).toEqual({ issued: CLIENTS, unaudited: 0 });
      expect(summary.autoIssued).toBe(CLIENTS);
    },
    120_000,
  );
});
