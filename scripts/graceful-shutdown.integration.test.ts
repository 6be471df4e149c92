import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { clientSecrets } from "@/db/schema";
import { anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { embeddedDataFolder } from "@/lib/data/database";
import { basic, cliContext, provisionClient } from "@/lib/oauth/testing";

/*
 * SIGTERM on a real server process (docs/operations.md, "Shutdown"): scripts/machine-server.ts,
 * which shuts down exactly as scripts/server.ts does (lib/http/process-shutdown.ts) but needs no
 * Next build. A token request is in flight when the signal arrives (its body half sent); /readyz
 * then answers 503 draining while the server still accepts; after the drain new connections are
 * refused; the request in flight, finished, is answered 200 with Connection: close; its secret's
 * use is flushed to the database; the process exits 0. The e2e/cluster stage does the same to
 * scripts/server.ts behind HAProxy.
 */

const tsx = path.resolve("node_modules/.bin/tsx");
const ring = `t:${randomBytes(32).toString("base64")}`;
const keyRing = parseKeyRing(ring);
const dataDir = mkdtempSync(path.join(tmpdir(), "rotor-shutdown-"));
let handle: DatabaseHandle | null = null;
let databaseUrl: string | undefined;
let client: { clientId: string; secret: string; secretId: string };
let server: ChildProcess | null = null;

beforeAll(async () => {
  const test = await createTestDatabase();
  databaseUrl = test.url;
  // On PGlite the server opens its own embedded folder, which only one process may hold.
  const setup = databaseUrl ? test : await openDatabase({ pgliteDir: embeddedDataFolder(dataDir) });
  if (!databaseUrl) {
    await test.close();
    await setup.migrate();
  }
  const org = await anOrganisation(setup.db, { name: "Northwind Insurance" });
  client = await provisionClient(cliContext(setup.db, org, keyRing));
  if (databaseUrl) handle = setup;
  else await setup.close();
}, 120_000);

afterAll(async () => {
  server?.kill("SIGKILL");
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function lastUsedAt(): Promise<Date | null> {
  const db = handle ?? (await openDatabase({ pgliteDir: embeddedDataFolder(dataDir) }));
  try {
    const [row] = await db.db.select({ at: clientSecrets.lastUsedAt }).from(clientSecrets).where(eq(clientSecrets.id, client.secretId));
    return row?.at ?? null;
  } finally {
    if (!handle) await db.close();
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/** Everything the server writes on a socket until it closes it. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.on("data", (d: Buffer) => {
      text += d.toString();
    });
    socket.once("end", () => resolve(text));
    socket.once("error", reject);
  });
}

describe("the server on SIGTERM", { timeout: 120_000 }, () => {
  it("drains, finishes the request in flight, flushes usage and exits 0", async () => {
    server = spawn(tsx, ["scripts/machine-server.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl ?? "",
        ROTOR_DATA_DIR: dataDir,
        ROTOR_ENV: "test",
        ROTOR_ENCRYPTION_KEYS: ring,
        ROTOR_PUBLIC_URL: "http://localhost:3000",
        PORT: "0",
        // Long enough for the polls below on a busy machine; the test waits it out once.
        ROTOR_SHUTDOWN_DRAIN_SECONDS: "3",
        ROTOR_SHUTDOWN_TIMEOUT_SECONDS: "60",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stderr!.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => server!.once("exit", (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      server!.stdout!.on("data", (d: Buffer) => {
        output += d.toString();
        const m = /machine listening on (\d+)/.exec(output);
        if (m) resolve(Number(m[1]));
      });
      void exited.then((code) => reject(new Error(`server exited ${code}: ${output}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    // Ready first. The first check creates the new deployment's signing keys, which on a busy
    // machine may outlast a check's 5 s; the load goes on in the background, so a later poll sees it.
    let ready = 0;
    for (let attempt = 0; attempt < 100 && ready !== 200; attempt++) {
      ready = (await fetch(`${base}/readyz`, { headers: { connection: "close" } })).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(ready).toBe(200);

    // A token request whose body is half sent: in flight when the signal comes.
    const body = "grant_type=client_credentials&scope=claims%3Aread";
    const inFlight = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => inFlight.once("connect", () => resolve()));
    const answer = readAll(inFlight);
    inFlight.write(
      `POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${basic(client.clientId, client.secret)}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    // Nothing recorded yet (on Postgres, where this test may look while the server holds the database).
    if (handle) expect(await lastUsedAt()).toBeNull();

    server.kill("SIGTERM");
    // Not ready at once, while still accepting connections (the drain).
    let readyz: Response | null = null;
    for (let i = 0; i < 100; i++) {
      readyz = await fetch(`${base}/readyz`, { headers: { connection: "close" } });
      if (readyz.status === 503) break;
    }
    expect(readyz?.status).toBe(503);
    expect(await readyz?.json()).toEqual({ status: "draining" });

    // After the drain, no new connection.
    let closed = false;
    for (let i = 0; i < 10_000 && !closed; i++) {
      closed = await refused(port);
      if (!closed) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(closed).toBe(true);

    // The request in flight still gets its token, and its connection is closed after it.
    inFlight.write(body.slice(10));
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response.toLowerCase()).toContain("\r\nconnection: close\r\n");
    expect(response).toContain('"access_token":"');

    expect(await exited).toBe(0);
    server = null;
    expect(output).toMatch(/shutdown: SIGTERM received; reporting not ready, still serving for 3 s/);
    expect(output).toMatch(/shutdown: done/);
    // The secret's use, held in memory until the flush at shutdown, reached the database.
    expect(await lastUsedAt()).toBeInstanceOf(Date);
  });
});
