/**
 * `npm run bench:token`: POST /oauth/token under load, on the real Postgres server.
 *
 * Provisions a fresh database (a client with a secret, a client with an RSA key), starts the
 * production server for each mount (self-hosted: `tsx scripts/server.ts`; route handler: `next
 * start`), and drives it with autocannon from this same 2-core machine: 32 connections, one server
 * process. client_secret_basic runs for a fixed duration; private_key_jwt sends assertions signed
 * before the timed run, each used exactly once. Three runs per case; prints each run and the
 * medians. The third mount, "bare" (scripts/bench/bare-token-server.ts), does the same
 * client_secret_basic work with node:http, jose and postgres.js alone: the yardstick, in the same
 * run ("bare-node-crypto": the same, signing with node:crypto as Rotor now does). CPU per request
 * is the server's process tree's, and beside it that of the Postgres backends
 * serving the bench database. A benchmark, not a test: it asserts nothing and never runs in `npm test`.
 *
 * Options (environment): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_RUNS (3), BENCH_SECONDS (10), BENCH_MOUNTS (self-hosted,route-handler,bare), BENCH_PORT
 * (3900), BENCH_DATABASE (rotor_bench), BENCH_CPU_PROF (a folder: profile the servers, node --cpu-prof), BENCH_CASES (secret,jwt).
 */
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { JWT_BEARER_ASSERTION_TYPE } from "@/lib/oauth/constants";
import { addKey, basic, provisionClient } from "@/lib/oauth/testing";
import {
  cpuSince,
  databaseCpuMs,
  fmt,
  freshDatabase,
  issuer,
  load,
  median,
  processTreeCpuMs,
  type Result,
  requireBuild,
  startServer,
  stop,
} from "./bench/common";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const mounts = (process.env.BENCH_MOUNTS ?? "self-hosted,route-handler,bare").split(",");
const CONNECTIONS = 32;
/** BENCH_CASES=secret skips private_key_jwt (a profile of the secret path alone). */
const withJwt = (process.env.BENCH_CASES ?? "secret,jwt").split(",").includes("jwt");

requireBuild();
const db = await freshDatabase("rotor_bench");
const secretClient = await provisionClient(db.ctx);
const jwtClient = await provisionClient(db.ctx);
const { privateKey, kid } = await addKey(db.ctx, jwtClient.clientId, "bench-key");
await db.handle.close();

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

type Measured = Result & { cpuUs: number; dbCpuUs: number };

/** A load run, with the server's and its Postgres backends' CPU time per completed request (µs) measured around it. */
async function measured(server: { pid?: number }, run: () => Promise<Result>): Promise<Measured> {
  const dbBefore = await databaseCpuMs(db.serverUrl, db.name);
  const before = processTreeCpuMs(server.pid!);
  const r = await run();
  const serverMs = processTreeCpuMs(server.pid!) - before;
  const dbMs = cpuSince(dbBefore, await databaseCpuMs(db.serverUrl, db.name));
  const per = (ms: number) => (ms * 1000) / Math.max(1, r.total);
  return { ...r, cpuUs: per(serverMs), dbCpuUs: per(dbMs) };
}
const cpuText = (r: Measured) => `server CPU ${r.cpuUs.toFixed(0)} us/request (+ Postgres ${r.dbCpuUs.toFixed(0)})`;

const secretCase = () =>
  load({
    url: `${issuer}/oauth/token`,
    connections: CONNECTIONS,
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
    connections: CONNECTIONS,
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

const summary: string[] = [];
for (const mount of mounts) {
  const server = await startServer(mount, db.url, db.keySpec);
  try {
    await load({
      url: `${issuer}/oauth/token`,
      connections: CONNECTIONS,
      method: "POST",
      amount: 2000,
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(secretClient.clientId, secretClient.secret) },
      body: "grant_type=client_credentials",
    });
    const secret: Measured[] = [];
    const jwt: Measured[] = [];
    for (let run = 1; run <= runs; run++) {
      const s = await measured(server, secretCase);
      secret.push(s);
      console.info(`${mount.padEnd(13)} run ${run} client_secret_basic ${fmt(s)}  ${cpuText(s)}`);
      // The bare yardstick does client_secret_basic only.
      if (mount.startsWith("bare") || !withJwt) continue;
      const expected = mount === "self-hosted" ? 2600 : 1000;
      const j = await measured(server, () => jwtCase(expected));
      jwt.push(j);
      console.info(`${mount.padEnd(13)} run ${run} private_key_jwt     ${fmt(j)}  ${cpuText(j)}`);
    }
    for (const [name, results] of [
      ["client_secret_basic", secret],
      ["private_key_jwt", jwt],
    ] as const) {
      if (results.length === 0) continue;
      const rps = median(results.map((r) => r.rps)).toFixed(0);
      const p50 = median(results.map((r) => r.p50));
      const p99 = median(results.map((r) => r.p99));
      const cpu = median(results.map((r) => r.cpuUs)).toFixed(0);
      const dbCpu = median(results.map((r) => r.dbCpuUs)).toFixed(0);
      const failed = results.reduce((n, r) => n + r.non2xx, 0);
      summary.push(
        `${mount.padEnd(13)} ${name.padEnd(20)} median ${rps.padStart(6)} req/s  p50 ${p50} ms  p99 ${p99} ms  non-2xx ${failed}  server CPU ${cpu} us/request (+ Postgres ${dbCpu})`,
      );
    }
  } finally {
    await stop(server);
  }
}
console.info(`\nMedians of ${runs} runs, ${CONNECTIONS} connections, one server process, loader on the same machine:`);
for (const line of summary) console.info(line);
process.exit(0);
