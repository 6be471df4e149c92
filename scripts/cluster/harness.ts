/**
 * A self-hosted Rotor cluster on this machine, for the cluster test and `npm run bench:rolling`:
 * a fresh database on the Postgres server (migrated, the demo seeded), a private PgBouncer in
 * transaction mode in front of that server, three production instances (`tsx scripts/server.ts`)
 * that reach it through PgBouncer and share one public URL, key ring and settings, and a private
 * HAProxy that balances over them with health checks. Everything it starts it stops by PID, and it
 * drops its database, also when starting fails; a run killed outright is swept up by the next.
 *
 * Needs a production build (`npx next build`), `haproxy` and `pgbouncer` (Debian's), and
 * DATABASE_URL naming a Postgres server whose role may create databases.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import type { CredentialContext } from "@/lib/context";
import { type KeyRing, parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { cliContext } from "@/lib/oauth/testing";
import { BALANCER_PORT, HEALTH_PATH, haproxyConfig, INSTANCE_PORTS, PGBOUNCER_PORT, pgbouncerConfig } from "./config";
import { killGroup, RUN_FOLDER_PREFIX, type Started, startProcess, stopProcess, sweepAbandonedRuns, tail } from "./processes";

export const HAPROXY = "/usr/sbin/haproxy";
export const PGBOUNCER = "/usr/sbin/pgbouncer";

/** Why the cluster cannot run here, or null when it can (the test reports a skip with the reason). */
export function clusterUnavailable(): string | null {
  if (!existsSync(HAPROXY)) return `${HAPROXY} is missing (apt-get install haproxy)`;
  if (!existsSync(PGBOUNCER)) return `${PGBOUNCER} is missing (apt-get install pgbouncer)`;
  if (!/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) return "DATABASE_URL does not name a Postgres server";
  if (!existsSync(".next/BUILD_ID")) return "no production build (npx next build)";
  return null;
}

export interface Instance {
  name: string;
  port: number;
  url: string;
  /** The running process, or null while stopped. */
  process: Started | null;
  /** SIGTERM, and resolves once the process has exited (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Starts it again and resolves once it answers its health check. */
  start(): Promise<void>;
}

export interface Cluster {
  /** The balancer's URL: every instance's ROTOR_PUBLIC_URL, so also the OAuth issuer. */
  url: string;
  instances: Instance[];
  /** A direct connection to the cluster's database, for provisioning and checks. */
  handle: DatabaseHandle;
  databaseName: string;
  /** The database as the instances reach it: through PgBouncer, without prepared statements. */
  pooledDatabaseUrl: string;
  keySpec: string;
  keyRing: KeyRing;
  /** The demo's Northwind organisation, as the CLI acts on it. */
  ctx: CredentialContext;
  cronSecret: string;
  folder: string;
  /** HAProxy's view of each instance: "UP", "DOWN", "MAINT", or a transition like "UP 1/2". */
  balancerStates(): Promise<Record<string, string>>;
  /** Resolves once HAProxy reports every named instance (all by default) as UP. */
  balancerSeesUp(names?: string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Settings for every instance on top of the harness's own (a short cache bound, a fake mail provider). */
  env?: Record<string, string>;
  /** How long to wait for an instance to become healthy (a busy 2-core machine starts slowly). */
  startTimeoutMs?: number;
  /** HAProxy retries and redispatch (on unless false; off only to measure what they are worth). */
  haproxyRetries?: boolean;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it is true; throws `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: () => string, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await sleep(everyMs);
  }
}

const admin = (serverUrl: string) => postgres(serverUrl, { max: 1, onnotice: () => {} });

async function dropDatabase(serverUrl: string, name: string) {
  const sql = admin(serverUrl);
  try {
    await sql.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await sql.end();
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const unavailable = clusterUnavailable();
  if (unavailable) throw new Error(`the cluster cannot start: ${unavailable}`);
  const log = options.log ?? (() => {});
  const serverUrl = process.env.DATABASE_URL as string;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;

  const swept = sweepAbandonedRuns();
  for (const name of swept.databases) await dropDatabase(serverUrl, name).catch(() => {});

  const folder = mkdtempSync(path.join(tmpdir(), `${RUN_FOLDER_PREFIX}${process.pid}-`));
  const databaseName = `rotor_cluster_${randomBytes(6).toString("hex")}`;
  writeFileSync(path.join(folder, "database"), databaseName);
  const started: Started[] = [];
  const instances: Instance[] = [];
  let handle: DatabaseHandle | undefined;
  let stopped = false;

  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", onExit);
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(s, onSignal);
    // Instances drain first (ROTOR_SHUTDOWN_DRAIN_SECONDS), then HAProxy and PgBouncer stop.
    await Promise.all(instances.map((i) => i.stop(20_000)));
    await Promise.all(started.map((p) => stopProcess(p, 5_000)));
    await handle?.close().catch(() => {});
    await dropDatabase(serverUrl, databaseName).catch((error: unknown) => log(`could not drop ${databaseName}: ${String(error)}`));
    rmSync(folder, { recursive: true, force: true });
  };
  // Killed or interrupted: end every process now (synchronously, as the process is going) and
  // drop the database with a short-lived helper, so nothing is left behind.
  const onExit = () => {
    if (stopped) return;
    for (const p of [...started, ...instances.map((i) => i.process)]) if (p) killGroup(p);
    spawnSync(
      process.execPath,
      [
        "-e",
        `const p=require("postgres");const s=p(process.argv[1],{max:1,onnotice:()=>{}});s.unsafe("drop database if exists ${databaseName} with (force)").finally(()=>s.end())`,
        serverUrl,
      ],
      { stdio: "ignore", timeout: 10_000 },
    );
    rmSync(folder, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("exit", onExit);
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(s, onSignal);

  try {
    // The database, migrated and seeded directly (not through PgBouncer, as a deployment's
    // migration step would).
    const sql = admin(serverUrl);
    await sql.unsafe(`create database ${databaseName}`);
    await sql.end();
    const direct = new URL(serverUrl);
    direct.pathname = `/${databaseName}`;
    const keySpec = `cluster:${randomBytes(32).toString("base64")}`;
    const keyRing = parseKeyRing(keySpec);
    handle = await openDatabase({ url: direct.toString() });
    await handle.migrate();
    await seedDemoData(handle.db, { now: new Date(), keyRing });
    const northwind = await findOrganisationBySlug(handle.db, "northwind");
    if (!northwind) throw new Error("the demo seed has no northwind organisation");
    log(`database ${databaseName} migrated and seeded`);

    // PgBouncer, transaction pooling, between the instances and the Postgres server.
    const authFile = path.join(folder, "userlist.txt");
    writeFileSync(authFile, `"${decodeURIComponent(direct.username)}" "${decodeURIComponent(direct.password)}"\n`);
    const pgbouncerIni = path.join(folder, "pgbouncer.ini");
    writeFileSync(
      pgbouncerIni,
      pgbouncerConfig({ port: PGBOUNCER_PORT, authFile, postgresHost: direct.hostname, postgresPort: Number(direct.port || 5432) }),
    );
    // PgBouncer refuses to run as root; as root, it runs as the postgres user, which then owns
    // the run's folder (root may still write there).
    const asRoot = process.getuid?.() === 0;
    const asUser = asRoot ? ["-u", "postgres"] : [];
    if (asRoot) spawnSync("chown", ["-R", "postgres", folder]);
    const pgbouncer = startProcess(folder, "pgbouncer", PGBOUNCER, [...asUser, pgbouncerIni], process.env);
    started.push(pgbouncer);
    const pooled = new URL(direct);
    pooled.host = `127.0.0.1:${PGBOUNCER_PORT}`;
    await until(
      async () => {
        const probe = postgres(pooled.toString(), { max: 1, prepare: false, onnotice: () => {}, connect_timeout: 2 });
        try {
          await probe`select 1`;
          return true;
        } finally {
          await probe.end();
        }
      },
      20_000,
      () => `PgBouncer did not answer on ${PGBOUNCER_PORT}:\n${tail(pgbouncer.log)}`,
    );
    log(`PgBouncer on 127.0.0.1:${PGBOUNCER_PORT}`);

    const url = `http://127.0.0.1:${BALANCER_PORT}`;
    const cronSecret = randomBytes(24).toString("base64url");
    const instanceEnv = (port: number, name: string): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // A production-like deployment on the loopback: ROTOR_ENV=production would refuse http.
      ROTOR_ENV: "test",
      DATABASE_URL: pooled.toString(),
      // No named prepared statements: the next transaction may run on another server connection.
      DATABASE_POOL_MODE: "transaction",
      ROTOR_PUBLIC_URL: url,
      ROTOR_TRUSTED_PROXIES: "127.0.0.1/32",
      ROTOR_ENCRYPTION_KEYS: keySpec,
      AUTH_SECRET: keySpec,
      CRON_SECRET: cronSecret,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      ROTOR_DATA_DIR: path.join(folder, name),
      // Longer than HAProxy takes to see /readyz turn 503 (fall 2 at fastinter, about 1 s).
      ROTOR_SHUTDOWN_DRAIN_SECONDS: "3",
      ...options.env,
    });
    const tsx = path.resolve("node_modules/.bin/tsx");
    for (const [i, port] of INSTANCE_PORTS.entries()) {
      const name = `rotor${i + 1}`;
      mkdirSync(path.join(folder, name), { recursive: true });
      const instance: Instance = {
        name,
        port,
        url: `http://127.0.0.1:${port}`,
        process: null,
        async stop(graceMs = 30_000) {
          const p = instance.process;
          if (!p) return;
          await stopProcess(p, graceMs);
          instance.process = null;
        },
        async start() {
          if (instance.process) throw new Error(`${name} is running`);
          const p = startProcess(folder, name, tsx, ["scripts/server.ts"], instanceEnv(port, name));
          instance.process = p;
          await until(
            async () => {
              if (p.child.exitCode !== null) throw new Error("exited");
              return (await fetch(`${instance.url}${HEALTH_PATH}`)).status === 200;
            },
            startTimeoutMs,
            () =>
              `${name} did not become healthy on ${port}${p.child.exitCode !== null ? ` (it exited with ${p.child.exitCode})` : ""}:\n${tail(p.log)}`,
            250,
          ).catch((error: unknown) => {
            if (p.child.exitCode !== null) throw new Error(`${name} exited with ${p.child.exitCode}:\n${tail(p.log)}`);
            throw error;
          });
        },
      };
      instances.push(instance);
    }
    await Promise.all(instances.map((i) => i.start()));
    log(`instances healthy on ${INSTANCE_PORTS.join(", ")}`);

    const statsSocket = path.join(folder, "haproxy.sock");
    const haproxyCfg = path.join(folder, "haproxy.cfg");
    writeFileSync(
      haproxyCfg,
      haproxyConfig({ balancerPort: BALANCER_PORT, instancePorts: INSTANCE_PORTS, statsSocket, retries: options.haproxyRetries }),
    );
    const check = spawnSync(HAPROXY, ["-c", "-q", "-f", haproxyCfg], { encoding: "utf8" });
    if (check.status !== 0) throw new Error(`haproxy refuses its configuration:\n${check.stdout}${check.stderr}`);
    started.push(startProcess(folder, "haproxy", HAPROXY, ["-db", "-f", haproxyCfg], process.env));

    const balancerStates = async (): Promise<Record<string, string>> => {
      const csv = await new Promise<string>((resolve, reject) => {
        const socket = connect(statsSocket);
        let out = "";
        socket.on("data", (d) => {
          out += d.toString();
        });
        socket.on("end", () => resolve(out));
        socket.on("error", reject);
        socket.write("show stat\n");
      });
      const states: Record<string, string> = {};
      for (const line of csv.split("\n")) {
        const f = line.split(",");
        if (f[0] === "instances" && f[1] && f[1] !== "BACKEND" && f[1] !== "FRONTEND") states[f[1]] = f[17] ?? "";
      }
      return states;
    };
    const balancerSeesUp = async (names = instances.map((i) => i.name), timeoutMs = 30_000) => {
      let last: Record<string, string> = {};
      await until(
        async () => {
          last = await balancerStates();
          return names.every((n) => last[n] === "UP");
        },
        timeoutMs,
        () => `HAProxy does not see ${names.join(", ")} up: ${JSON.stringify(last)}`,
      );
    };
    await balancerSeesUp();
    log(`HAProxy on ${url}`);

    return {
      url,
      instances,
      handle,
      databaseName,
      pooledDatabaseUrl: pooled.toString(),
      keySpec,
      keyRing,
      ctx: cliContext(handle.db, northwind, keyRing),
      cronSecret,
      folder,
      balancerStates,
      balancerSeesUp,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
