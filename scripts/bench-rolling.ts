/**
 * `npm run bench:rolling`: a rolling restart under load. Starts the self-hosted cluster
 * (scripts/cluster/harness.ts: three production instances behind HAProxy and PgBouncer), drives a
 * steady client_secret_basic token load through HAProxy with autocannon, and after a steady
 * period sends each instance in turn SIGTERM, waits for it to exit, starts it again and waits until
 * HAProxy sees it healthy, while the load goes on. Reports, per run, the requests sent and failed
 * (non-2xx, errors and timeouts; the goal is none) and p50/p99 latency in the steady phase and in
 * the restart phase; then the medians over the runs. A benchmark, not a test: it asserts nothing
 * and never runs in `npm test`.
 *
 * Options (environment): DATABASE_URL (the Postgres server; default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_RUNS (3), BENCH_STEADY_SECONDS (15), BENCH_CONNECTIONS (16), BENCH_DRAIN_SECONDS (3: how
 * long a stopping instance keeps serving, ROTOR_SHUTDOWN_DRAIN_SECONDS, so HAProxy's health check
 * takes it out first), BENCH_NO_RETRIES (1: HAProxy without retries and redispatch, to see what
 * they are worth).
 */
import autocannon from "autocannon";
import { basic, provisionClient } from "@/lib/oauth/testing";
import { median } from "./bench/common";
import { CHECK_FALL, CHECK_INTERVAL_MS, CHECK_RISE } from "./cluster/config";
import { startCluster } from "./cluster/harness";
import { tail } from "./cluster/processes";

process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/postgres";
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DRAIN_SECONDS = process.env.BENCH_DRAIN_SECONDS ?? "3";
const NO_RETRIES = process.env.BENCH_NO_RETRIES === "1";

type Phase = "steady" | "restart";
interface PhaseStats {
  latencies: number[];
  failed: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
}
const emptyStats = (): PhaseStats => ({ latencies: [], failed: 0, statuses: {}, errors: {} });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function summarise(s: PhaseStats) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  return {
    sent: s.latencies.length + Object.values(s.errors).reduce((a, b) => a + b, 0),
    failed: s.failed,
    p50: Math.round(percentile(sorted, 50) * 10) / 10,
    p99: Math.round(percentile(sorted, 99) * 10) / 10,
  };
}

const log = (line: string) => console.info(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const cluster = await startCluster({ env: { ROTOR_SHUTDOWN_DRAIN_SECONDS: DRAIN_SECONDS }, haproxyRetries: !NO_RETRIES, log });
const results: { steady: ReturnType<typeof summarise>; restart: ReturnType<typeof summarise>; restartSeconds: number }[] = [];
try {
  const client = await provisionClient(cluster.ctx, { audiences: [] });
  const request = {
    url: `${cluster.url}/oauth/token`,
    method: "POST" as const,
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(client.clientId, client.secret) },
    body: "grant_type=client_credentials",
  };
  // Warm up every instance (JIT, key cache, prepared plans) before anything is measured.
  await new Promise((resolve, reject) =>
    autocannon({ ...request, connections: CONNECTIONS, amount: 3000 }, (error, r) => (error ? reject(error) : resolve(r))),
  );
  log(
    `HAProxy checks every ${CHECK_INTERVAL_MS} ms, fall ${CHECK_FALL}, rise ${CHECK_RISE}; instances drain ${DRAIN_SECONDS} s after SIGTERM`,
  );

  for (let run = 1; run <= RUNS; run++) {
    const stats: Record<Phase, PhaseStats> = { steady: emptyStats(), restart: emptyStats() };
    let phase: Phase = "steady";
    let done = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const loader = autocannon({ ...request, connections: CONNECTIONS, duration: 3600, timeout: 10 }, () => done());
    loader.on("response", (_c: unknown, status: number, _bytes: number, ms: number) => {
      const s = stats[phase];
      s.latencies.push(ms);
      s.statuses[status] = (s.statuses[status] ?? 0) + 1;
      if (status < 200 || status > 299) s.failed++;
    });
    loader.on("reqError", (error: Error & { code?: string }) => {
      const s = stats[phase];
      const key = error.code ?? error.message;
      s.errors[key] = (s.errors[key] ?? 0) + 1;
      s.failed++;
    });

    await new Promise((r) => setTimeout(r, STEADY_SECONDS * 1000));
    phase = "restart";
    const restartStarted = Date.now();
    for (const instance of cluster.instances) {
      const t0 = Date.now();
      const logFile = instance.process?.log;
      await instance.stop(60_000);
      const stopped = Date.now();
      // A stop much longer than the drain is worth its log lines (the shutdown says what it waited for).
      if (logFile && stopped - t0 > (Number(DRAIN_SECONDS) + 5) * 1000) log(`${instance.name} took long to stop:\n${tail(logFile, 8)}`);
      await instance.start();
      await cluster.balancerSeesUp([instance.name], 60_000);
      log(`run ${run}: ${instance.name} stopped in ${stopped - t0} ms, healthy behind HAProxy ${Date.now() - stopped} ms later`);
    }
    const restartSeconds = (Date.now() - restartStarted) / 1000;
    loader.stop();
    await finished;

    const steady = summarise(stats.steady);
    const restart = summarise(stats.restart);
    results.push({ steady, restart, restartSeconds });
    for (const [name, s] of [
      ["steady ", stats.steady],
      ["restart", stats.restart],
    ] as const) {
      const r = summarise(s);
      log(
        `run ${run} ${name}: ${r.sent} sent, ${r.failed} failed, p50 ${r.p50} ms, p99 ${r.p99} ms; statuses ${JSON.stringify(s.statuses)}${Object.keys(s.errors).length ? `; errors ${JSON.stringify(s.errors)}` : ""}`,
      );
    }
  }
} finally {
  await cluster.stop();
}

const m = (pick: (r: (typeof results)[number]) => number) => median(results.map(pick));
console.info(
  `\nMedians of ${results.length} runs, ${CONNECTIONS} connections through HAProxy to three instances, loader on the same 2-core machine:`,
);
console.info(
  `steady  (${STEADY_SECONDS} s):  ${m((r) => r.steady.sent)} sent, ${m((r) => r.steady.failed)} failed, p50 ${m((r) => r.steady.p50)} ms, p99 ${m((r) => r.steady.p99)} ms`,
);
console.info(
  `restart (${m((r) => r.restartSeconds).toFixed(1)} s): ${m((r) => r.restart.sent)} sent, ${m((r) => r.restart.failed)} failed, p50 ${m((r) => r.restart.p50)} ms, p99 ${m((r) => r.restart.p99)} ms`,
);
console.info(`failed requests over all runs: ${results.reduce((n, r) => n + r.steady.failed + r.restart.failed, 0)}`);
process.exit(0);
