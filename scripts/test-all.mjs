// `npm test`: every runner, then one line "N passed, N failed" summing them (the CI reads only that).
// Unit + integration (vitest), the integration tests again through PgBouncer in transaction mode
// (when pgbouncer is installed and DATABASE_URL is a server), a production build, e2e (Playwright,
// real Chromium, `next start`), then the cluster test (vitest.cluster.config.ts).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { missingBrowserAdvice } from "./browser.mjs";
import { findPgbouncer } from "./pgbouncer.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
rmSync("reports", { recursive: true, force: true });
mkdirSync("reports", { recursive: true });

function run(label, command, args) {
  console.info(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status === 0;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

let passed = 0;
let failed = 0;
const problems = [];

run("unit and integration tests", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  "--outputFile.json=reports/vitest.json",
]);
const vitest = readJson("reports/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  if (!vitest.success && vitest.numFailedTests === 0) problems.push("vitest reported a failure outside any test (a suite failed to load)");
} else {
  problems.push("vitest wrote no report");
}

// The integration tests through PgBouncer's transaction pooling (docs/operations.md, "Connection
// pooling"): the unit tests touch no database, so they are not run twice.
if (!process.env.DATABASE_URL) {
  console.info("\n=== PgBouncer stage skipped: DATABASE_URL is not set, so the integration tests ran on PGlite (no server to pool)");
} else if (!findPgbouncer()) {
  console.info("\n=== PgBouncer stage skipped: pgbouncer is not installed (Debian: apt-get install pgbouncer)");
} else {
  const started = Date.now();
  run("integration tests through PgBouncer (transaction pooling)", "node", [
    "scripts/test-pgbouncer.mjs",
    "integration.test",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=reports/vitest-pgbouncer.json",
  ]);
  console.info(`PgBouncer stage took ${Math.round((Date.now() - started) / 1000)} s`);
  const pgbouncer = readJson("reports/vitest-pgbouncer.json");
  if (pgbouncer) {
    passed += pgbouncer.numPassedTests;
    failed += pgbouncer.numFailedTests;
    if (!pgbouncer.success && pgbouncer.numFailedTests === 0) problems.push("vitest through PgBouncer reported a failure outside any test");
  } else {
    problems.push("vitest through PgBouncer wrote no report");
  }
}

let built = false;
const browserAdvice = missingBrowserAdvice();
if (browserAdvice) {
  problems.push(browserAdvice);
} else if (run("production build", "npx", ["next", "build"])) {
  built = true;
  run("end-to-end tests", "npx", ["playwright", "test"]);
  const pw = readJson("reports/playwright.json");
  if (pw) {
    passed += pw.stats.expected + pw.stats.flaky;
    failed += pw.stats.unexpected;
    if (pw.errors?.length) problems.push(`Playwright reported ${pw.errors.length} error(s) outside tests`);
  } else {
    problems.push("Playwright wrote no report");
  }
} else {
  problems.push("next build failed, so the e2e suite did not run");
}

// The cluster test (three production instances behind HAProxy and PgBouncer) needs the build, both
// programs and a Postgres server; without one of them it is skipped with the reason, counted
// neither passed nor failed.
const clusterSkip = !built
  ? "no production build"
  : !existsSync("/usr/sbin/haproxy")
    ? "haproxy is not installed (apt-get install haproxy)"
    : !existsSync("/usr/sbin/pgbouncer")
      ? "pgbouncer is not installed (apt-get install pgbouncer)"
      : await postgresUnreachable(process.env.DATABASE_URL);
if (clusterSkip) {
  console.info(`\ncluster test skipped: ${clusterSkip}`);
} else {
  run("cluster test", "npx", [
    "vitest",
    "run",
    "--config",
    "vitest.cluster.config.ts",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=reports/cluster.json",
  ]);
  const cluster = readJson("reports/cluster.json");
  if (cluster) {
    passed += cluster.numPassedTests;
    failed += cluster.numFailedTests;
    if (!cluster.success && cluster.numFailedTests === 0)
      problems.push("the cluster test failed outside any test (its harness did not start)");
  } else {
    problems.push("the cluster test wrote no report");
  }
}

/** Why DATABASE_URL names no Postgres server we can reach, or null when it does. */
async function postgresUnreachable(url) {
  if (!/^postgres(ql)?:\/\//.test(url ?? "")) return "DATABASE_URL does not name a Postgres server";
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (error) {
    return `the Postgres server of DATABASE_URL does not answer (${error?.code ?? error?.message ?? "error"})`;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

for (const p of problems) console.error(`! ${p}`);
const failedTotal = failed + problems.length;
console.info(`${passed} passed, ${failedTotal} failed`);
process.exit(failedTotal === 0 ? 0 : 1);
