/**
 * `npm run bench:abuse`: a flood of wrong secrets aimed at one client, and what it does to a second
 * client that is only asking for its tokens (docs/security.md, "Rate limits").
 *
 * For each mount (self-hosted `tsx scripts/server.ts`, route handlers `next start`), on the real
 * Postgres server: the second client alone for BENCH_SECONDS (idle), then the same with a flood of
 * well-formed wrong secrets at the first client, at 500 req/s and then as fast as autocannon can
 * send. The server trusts 127.0.0.1 as its load balancer and the loader sets X-Forwarded-For, so
 * attacker and client have different addresses, as they would in a deployment. Each scenario runs
 * with the default limits and with the failure limits turned off, to show what the limits buy.
 * Prints the second client's p50/p99 per scenario, the flood's rate and its answers. Asserts
 * nothing; never runs in `npm test`.
 *
 * Options (environment): DATABASE_URL, BENCH_SECONDS (10), BENCH_MOUNTS (self-hosted,route-handler).
 */
import { generateClientSecret } from "@/lib/crypto/client-secret";
import { basic, provisionClient } from "@/lib/oauth/testing";
import { freshDatabase, issuer, load, type Result, requireBuild, startServer, stop } from "./bench/common";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const mounts = (process.env.BENCH_MOUNTS ?? "self-hosted,route-handler").split(",");

requireBuild();
const db = await freshDatabase("rotor_bench_abuse");
const target = await provisionClient(db.ctx);
const bystander = await provisionClient(db.ctx);
await db.handle.close();
const wrongSecret = generateClientSecret();

const form = { "content-type": "application/x-www-form-urlencoded" };
const legitimate = () =>
  load({
    url: `${issuer}/oauth/token`,
    connections: 4,
    method: "POST",
    duration: seconds,
    headers: { ...form, authorization: basic(bystander.clientId, bystander.secret), "x-forwarded-for": "198.51.100.7" },
    body: "grant_type=client_credentials",
  });
const flood = (rate?: number) =>
  load({
    url: `${issuer}/oauth/token`,
    connections: 32,
    ...(rate ? { overallRate: rate } : {}),
    method: "POST",
    duration: seconds,
    headers: { ...form, authorization: basic(target.clientId, wrongSecret), "x-forwarded-for": "203.0.113.66" },
    body: "grant_type=client_credentials",
  });

const line = (label: string, r: Result) =>
  `  ${label.padEnd(34)} second client p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms  ${r.rps.toFixed(0).padStart(5)} req/s  non-2xx ${r.non2xx}`;
const floodLine = (f: Result) =>
  `    flood: ${f.rps.toFixed(0)} req/s, answers ${Object.entries(f.statuses)
    .map(([s, n]) => `${s}x${n}`)
    .join(" ")}`;

const report: string[] = [];
for (const mount of mounts) {
  for (const limits of ["default limits", "failure limits off"] as const) {
    const env: Record<string, string> = { ROTOR_TRUSTED_PROXIES: "127.0.0.1/32" };
    if (limits === "failure limits off") {
      env.ROTOR_LIMIT_TOKEN_FAILURES_PER_CLIENT = "off";
      env.ROTOR_LIMIT_TOKEN_FAILURES_PER_ADDRESS = "off";
    }
    const server = await startServer(mount, db.url, db.keySpec, env);
    try {
      await load({
        url: `${issuer}/oauth/token`,
        connections: 8,
        method: "POST",
        amount: 1000,
        headers: { ...form, authorization: basic(bystander.clientId, bystander.secret) },
        body: "grant_type=client_credentials",
      });
      report.push(`${mount}, ${limits}:`);
      const idle = await legitimate();
      report.push(line("idle", idle));
      for (const rate of [500, undefined]) {
        const [under, f] = await Promise.all([legitimate(), flood(rate)]);
        report.push(line(`under a flood of ${rate ? `${rate} req/s` : "all it can send"}`, under));
        report.push(floodLine(f));
      }
      console.info(report.slice(-6).join("\n"));
    } finally {
      await stop(server);
    }
  }
}
console.info(`\n${seconds} s per scenario, loader on the same 2-core machine:\n${report.join("\n")}`);
process.exit(0);
