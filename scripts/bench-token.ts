/**
 * `npm run bench:token`: POST /oauth/token under load, on the real Postgres server.
 *
 * Provisions a fresh database (a client with a secret, a client with an RSA key), starts the
 * production server for each mount (self-hosted: `tsx scripts/server.ts`; route handler: `next
 * start`), and drives it with autocannon from this same 2-core machine: 32 connections, one server
 * process. client_secret_basic runs for a fixed duration; private_key_jwt sends assertions signed
 * before the timed run, each used exactly once. Three runs per case; prints each run and the
 * medians. A benchmark, not a test: it asserts nothing and never runs in `npm test`.
 *
 * Options (environment): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_RUNS (3), BENCH_SECONDS (10), BENCH_MOUNTS (self-hosted,route-handler).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { SignJWT } from "jose";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { JWT_BEARER_ASSERTION_TYPE } from "@/lib/oauth/constants";
import { addKey, basic, cliContext, provisionClient } from "@/lib/oauth/testing";

const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const runs = Number(process.env.BENCH_RUNS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const mounts = (process.env.BENCH_MOUNTS ?? "self-hosted,route-handler").split(",");
const CONNECTIONS = 32;
const PORT = 3900;
const issuer = `http://127.0.0.1:${PORT}`;

if (!existsSync(".next/BUILD_ID")) {
  console.error("Build first: npm run build");
  process.exit(1);
}

// --- a fresh database, provisioned through the real use cases ----------------------------------
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe("drop database if exists rotor_bench with (force)");
await admin.unsafe("create database rotor_bench");
await admin.end();
const benchUrl = new URL(serverUrl);
benchUrl.pathname = "/rotor_bench";
const keySpec = `bench:${randomBytes(32).toString("base64")}`;
const keyRing = parseKeyRing(keySpec);
const handle = await openDatabase({ url: benchUrl.toString() });
await handle.migrate();
await seedDemoData(handle.db, { now: new Date(), keyRing });
const org = (await findOrganisationBySlug(handle.db, "northwind"))!;
const ctx = cliContext(handle.db, org, keyRing);
const secretClient = await provisionClient(ctx);
const jwtClient = await provisionClient(ctx);
const { privateKey, kid } = await addKey(ctx, jwtClient.clientId, "bench-key");
await handle.close();

async function signAssertions(count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({
      iss: jwtClient.clientId,
      sub: jwtClient.clientId,
      aud: issuer,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: "RS256", kid })
      .sign(privateKey);
    out.push(
      new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: jwt,
      }).toString(),
    );
  }
  return out;
}

// --- the server under test ------------------------------------------------------------------------
async function startServer(mount: string): Promise<ChildProcess> {
  const bin = path.resolve("node_modules/.bin");
  const [cmd, args] = mount === "self-hosted" ? [`${bin}/tsx`, ["scripts/server.ts"]] : [`${bin}/next`, ["start", "-p", String(PORT)]];
  const child = spawn(cmd, args, {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ROTOR_ENV: "production",
      DATABASE_URL: benchUrl.toString(),
      ROTOR_ENCRYPTION_KEYS: keySpec,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      ROTOR_PUBLIC_URL: issuer,
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      ROTOR_DATA_DIR: mkdtempSync(path.join(tmpdir(), "rotor-bench-")),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${issuer}/.well-known/oauth-authorization-server`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`the ${mount} server did not start`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  total: number;
}

async function load(options: autocannon.Options): Promise<Result> {
  const r = await autocannon({ connections: CONNECTIONS, pipelining: 1, ...options });
  // Throughput as completed requests over elapsed time (a fixed-amount run ends early).
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors + r.timeouts,
    total: r.requests.total,
  };
}

const secretCase = () =>
  load({
    url: `${issuer}/oauth/token`,
    method: "POST",
    duration: seconds,
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(secretClient.clientId, secretClient.secret) },
    body: "grant_type=client_credentials",
  });

async function jwtCase(expectedRps: number): Promise<Result> {
  const bodies = await signAssertions(Math.ceil(expectedRps * seconds));
  let next = 0;
  return load({
    url: `${issuer}/oauth/token`,
    amount: bodies.length,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        setupRequest: (req) => ({ ...req, body: bodies[next++] }),
      },
    ],
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (r: Result) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  non-2xx ${r.non2xx} of ${r.total}`;

const summary: string[] = [];
for (const mount of mounts) {
  const server = await startServer(mount);
  try {
    await load({
      url: `${issuer}/oauth/token`,
      method: "POST",
      amount: 2000,
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(secretClient.clientId, secretClient.secret) },
      body: "grant_type=client_credentials",
    });
    const secret: Result[] = [];
    const jwt: Result[] = [];
    for (let run = 1; run <= runs; run++) {
      const s = await secretCase();
      secret.push(s);
      console.info(`${mount.padEnd(13)} run ${run} client_secret_basic ${fmt(s)}`);
      const j = await jwtCase(mount === "self-hosted" ? 2600 : 1000);
      jwt.push(j);
      console.info(`${mount.padEnd(13)} run ${run} private_key_jwt     ${fmt(j)}`);
    }
    for (const [name, results] of [
      ["client_secret_basic", secret],
      ["private_key_jwt", jwt],
    ] as const) {
      summary.push(
        `${mount.padEnd(13)} ${name.padEnd(20)} median ${median(results.map((r) => r.rps))
          .toFixed(0)
          .padStart(
            6,
          )} req/s  p50 ${median(results.map((r) => r.p50))} ms  p99 ${median(results.map((r) => r.p99))} ms  non-2xx ${results.reduce((n, r) => n + r.non2xx, 0)}`,
      );
    }
  } finally {
    await stop(server);
  }
}
console.info(`\nMedians of ${runs} runs, ${CONNECTIONS} connections, one server process, loader on the same machine:`);
for (const line of summary) console.info(line);
process.exit(0);
