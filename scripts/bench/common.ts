/**
 * What the benchmarks share: a fresh database on the Postgres server provisioned through the real
 * use cases, the production server for either mount, and autocannon runs summarised as medians.
 * Benchmarks assert nothing and never run in `npm test`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { type KeyRing, parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { cliContext } from "@/lib/oauth/testing";

/** BENCH_PORT: where the server under test listens (3900 unless told), so benchmarks can run side by side. */
export const PORT = Number(process.env.BENCH_PORT ?? 3900);
export const issuer = `http://127.0.0.1:${PORT}`;

export function requireBuild(): void {
  if (!existsSync(".next/BUILD_ID")) {
    console.error("Build first: npm run build");
    process.exit(1);
  }
}

/** A fresh database named `name` on the server, migrated and seeded; returns what provisioning needs. */
export async function freshDatabase(defaultName: string) {
  // BENCH_DATABASE names it otherwise, so two people benchmarking on one server do not drop each other's.
  const name = process.env.BENCH_DATABASE ?? defaultName;
  const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const keySpec = `bench:${randomBytes(32).toString("base64")}`;
  const keyRing: KeyRing = parseKeyRing(keySpec);
  const handle: DatabaseHandle = await openDatabase({ url: url.toString() });
  await handle.migrate();
  await seedDemoData(handle.db, { now: new Date(), keyRing });
  const org = (await findOrganisationBySlug(handle.db, "northwind"))!;
  return { url: url.toString(), serverUrl, name, keySpec, handle, ctx: cliContext(handle.db, org, keyRing) };
}

/**
 * The production server of one mount: `tsx scripts/server.ts` (self-hosted), `next start` (route
 * handlers), or the bare yardstick (scripts/bench/bare-token-server.ts, token endpoint only).
 * BENCH_CPU_PROF=<folder> runs it under `node --cpu-prof`; each process writes a .cpuprofile there
 * when it exits.
 */
export async function startServer(
  mount: string,
  databaseUrl: string,
  keySpec: string,
  extraEnv: Record<string, string> = {},
): Promise<ChildProcess> {
  // Something already answering here would be measured instead of the server under test.
  const busy = await fetch(`${issuer}/.well-known/oauth-authorization-server`).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${PORT} is already in use: stop whatever listens there first`);
  const bin = path.resolve("node_modules/.bin");
  const script = mount === "self-hosted" ? "scripts/server.ts" : mount.startsWith("bare") ? "scripts/bench/bare-token-server.ts" : null;
  // Node refuses --cpu-prof in NODE_OPTIONS: a profiled server is node itself, with tsx as a loader.
  const profile = process.env.BENCH_CPU_PROF;
  const [cmd, args] = profile
    ? [
        process.execPath,
        [
          "--cpu-prof",
          `--cpu-prof-dir=${path.resolve(profile)}`,
          ...(script ? ["--import", "tsx", script] : ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)]),
        ],
      ]
    : script
      ? [`${bin}/tsx`, [script]]
      : [`${bin}/next`, ["start", "-p", String(PORT)]];
  const child = spawn(cmd, args, {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // A production-like test deployment: http on the loopback (production would refuse http).
      ROTOR_ENV: "test",
      DATABASE_URL: databaseUrl,
      ROTOR_ENCRYPTION_KEYS: keySpec,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      ROTOR_PUBLIC_URL: issuer,
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      ROTOR_DATA_DIR: mkdtempSync(path.join(tmpdir(), "rotor-bench-")),
      ...(mount === "bare-node-crypto" ? { BARE_SIGNER: "node-crypto" } : {}),
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 150; i++) {
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

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export interface Result {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  total: number;
  statuses: Record<string, number>;
}

export async function load(options: autocannon.Options & { connections?: number }): Promise<Result> {
  const statuses: Record<string, number> = {};
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ pipelining: 1, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on("response", (_client, status) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  // Throughput as completed requests over elapsed time (a fixed-amount run ends early).
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors + r.timeouts,
    total: r.requests.total,
    statuses,
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export const fmt = (r: Result) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(4)} ms  non-2xx ${r.non2xx} of ${r.total}${
    r.non2xx
      ? ` (${Object.entries(r.statuses)
          .filter(([status]) => !status.startsWith("2"))
          .map(([status, n]) => `${status}: ${n}`)
          .join(", ")})`
      : ""
  }`;

/**
 * CPU time (user + system, ms) used so far by a process and all its descendants, from /proc
 * (Linux). Throughput on a 2-core machine shared with the loader is noisy; CPU per request is the
 * steadier measure of what a request costs the server.
 */
export function processTreeCpuMs(rootPid: number): number {
  const ticks = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After "pid (comm) ": state ppid ... utime(14th field overall) stime(15th).
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended while we read.
    }
  }
  let total = 0;
  const visit = (pid: number) => {
    const s = stats.get(pid);
    if (!s) return;
    total += s.cpu;
    for (const [child, c] of stats) if (c.ppid === pid) visit(child);
  };
  visit(rootPid);
  return (total * 1000) / ticks;
}

/**
 * CPU time (ms) used so far by the Postgres backends serving database `name` (the server's own
 * processes, not children of ours), so a mount's cost can include the work it asks of Postgres.
 * Backends that ended since are not counted: the servers keep their pools open during a run.
 */
export async function databaseCpuMs(serverUrl: string, name: string): Promise<Map<number, number>> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      } catch {
        // Ended, or on another machine: not counted.
      }
    }
    return out;
  } finally {
    await sql.end();
  }
}

/** The CPU ms the backends in `after` used since `before` (a backend that started since counts from zero). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
