import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { embeddedDataFolder } from "@/lib/data/database";

/*
 * A malformed ROTOR_ENCRYPTION_KEYS must stop `npm start` (scripts/server.ts, through
 * lib/startup.ts, as instrumentation.ts does for `next start`) with a message naming the variable,
 * not start and then fail requests with an empty 500. Two databases: an embedded one that already
 * holds data, and Postgres, which postgres.js reaches only on the first query, so that nothing at
 * start but the check itself touches the key ring (as on a deployment whose database is up).
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "rotor-start-"));

beforeAll(async () => {
  const handle = await openDatabase({ pgliteDir: embeddedDataFolder(dataDir) });
  await handle.migrate();
  await seedDemoData(handle.db, { now: new Date(), keyRing: parseKeyRing(`seed:${randomBytes(32).toString("base64")}`) });
  await handle.close();
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts the self-hosted server and waits for it to exit, or to say it is listening (the failure). */
function start(extraEnv: Record<string, string>) {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/server.ts"], {
    env: { ...process.env, ROTOR_DATA_DIR: dataDir, ROTOR_ENV: "test", PORT: "0", HOSTNAME: "127.0.0.1", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  let listened = false;
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (!listened && /listening/.test(stdout)) {
      listened = true;
      child.kill("SIGTERM");
    }
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string; listened: boolean }>((resolve) => {
    child.once("exit", (code) => resolve({ code, stdout, stderr, listened }));
  });
}

describe("the key ring is checked when the server starts", { timeout: 180_000 }, () => {
  it.each([
    ["the embedded database", ""],
    ["Postgres", "postgres://rotor:rotor@127.0.0.1:1/rotor_never_reached"],
  ])(
    "stops on %s with a message naming ROTOR_ENCRYPTION_KEYS and how to fix it, never the key, and serves nothing",
    async (_, databaseUrl) => {
      const short = randomBytes(16).toString("base64");
      const result = await start({ DATABASE_URL: databaseUrl, ROTOR_ENCRYPTION_KEYS: `k2026:${short}` });
      expect(result.listened).toBe(false);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Rotor cannot start/);
      expect(result.stderr).toMatch(/ROTOR_ENCRYPTION_KEYS: key "k2026" must be 32 bytes in base64 \(try: openssl rand -base64 32\)/);
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(result.stderr + result.stdout).not.toContain(short);
    },
  );
});
