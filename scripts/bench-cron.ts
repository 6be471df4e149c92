/**
 * `npm run bench:cron`: scheduler runs on the real Postgres server. A benchmark, not a test.
 *
 * BENCH_MODE=enqueue (the default): one run over 100,000 clients whose secrets are spread over
 * their lifetimes. Times the due computation and enqueueing (auto-issue, expiries, reminders), not
 * e-mail delivery, and samples the process's memory during the run. Each of the runs starts from
 * a freshly seeded database, analysed unless BENCH_ANALYZE=0 (then the statements meet a freshly
 * loaded table without statistics, as after a bulk import).
 *
 * BENCH_MODE=idle: the run that finds little to do (the hourly run on most hours). Secrets are
 * spread over their lifetimes as above, each client has BENCH_OLD_SECRETS (0) expired, recorded
 * secrets behind it, and a first run catches up (auto-issue, reminders enqueued); then BENCH_RUNS
 * runs are timed on the same database, each step apart. The tables are freshly loaded and never
 * analysed (BENCH_ANALYZE=1 analyses them first; the server's autovacuum may analyse them itself
 * if it is on): the plan a deployment gets after a bulk import, with stale statistics.
 * BENCH_REUSE=1 times the runs on the database an earlier idle run left (with BENCH_ANALYZE=1,
 * after analysing it), to compare two checkouts on the same rows.
 *
 * BENCH_MODE=deliver: the issue's wave. BENCH_CLIENTS (100,000) clients of which BENCH_DUE
 * (25,000) have a reminder due today, delivered through the real Resend SDK to a local stand-in
 * (scripts/bench/fake-resend.ts, its own process, on BENCH_PROVIDER_PORT 4711, answering after
 * BENCH_PROVIDER_LATENCY_MS, 0 by default). Scheduler runs follow one another, as a cron that
 * catches up would call them, each with the deployment's budget and concurrency (BENCH_BUDGET_SECONDS
 * 50, BENCH_CONCURRENCY 8), until the outbox is empty. Reports the time until then, the runs it
 * took, sends per second, the provider's count of requests and repeated idempotency keys, and
 * the peak RSS. Analysed unless BENCH_ANALYZE=0.
 *
 * BENCH_WEBHOOKS=1 (any mode): a platform-wide webhook endpoint subscribed to every event, so each
 * reminder, auto-issue and expiry also records its webhook event and delivery (not sent: the
 * benchmark gives the run no webhook limits).
 *
 * Options (environment): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_CLIENTS (100000), BENCH_RUNS (3), BENCH_DATABASE (rotor_bench_cron).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { rows } from "@/lib/data/sql-rows";
import { resendTransport } from "@/lib/email/transport";
import { autoIssueDueSecrets } from "@/lib/scheduler/auto-issue";
import { recordExpiries } from "@/lib/scheduler/expiries";
import { enqueueKeyReminders, enqueueSecretReminders } from "@/lib/scheduler/reminders";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MODE = process.env.BENCH_MODE ?? "enqueue";
const DATABASE = process.env.BENCH_DATABASE ?? "rotor_bench_cron";
const OLD_SECRETS = Number(process.env.BENCH_OLD_SECRETS ?? 0);
const ORGS = 100;
const ZONES = [
  "Europe/London",
  "Asia/Kolkata",
  "America/New_York",
  "Australia/Sydney",
  "Pacific/Auckland",
  "America/Santiago",
  "Asia/Tokyo",
  "UTC",
];
const keyRing = parseKeyRing(`bench:${randomBytes(32).toString("base64")}`);
const mb = (n: number) => Math.round(n / 1024 / 1024);

function databaseUrl() {
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function emptyDatabase() {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DATABASE} with (force)`);
  await admin.unsafe(`create database ${DATABASE}`);
  await admin.end();
  const handle = await openDatabase({ url: databaseUrl() });
  await handle.migrate();
  return handle;
}

async function seedOrganisationsAndClients(handle: Awaited<ReturnType<typeof emptyDatabase>>) {
  const zones = sql.raw(`array[${ZONES.map((z) => `'${z}'`).join(",")}]`);
  await handle.db.execute(sql`
    insert into organisation (slug, name, time_zone, auto_issue)
    select 'org-' || i, 'Organisation ' || i, (${zones})[1 + i % ${ZONES.length}], i % 2 = 0 from generate_series(1, ${ORGS}) i`);
  await handle.db.execute(sql`
    insert into "user" (id, email, name) select 'u-' || i || '-' || r, r || i || '@bench.example', 'Person ' || i
    from generate_series(1, ${ORGS}) i, unnest(array['admin', 'spoc']) r`);
  await handle.db.execute(sql`
    insert into membership (organisation_id, user_id, role)
    select o.id, 'u-' || substr(o.slug, 5) || '-' || r, r::membership_role from organisation o, unnest(array['admin', 'spoc']) r`);
  await handle.db.execute(sql`
    insert into oauth_client (organisation_id, client_id, name)
    select o.id, 'benchclient' || lpad(i::text, 8, '0'), 'Client ' || i
    from generate_series(1, ${CLIENTS}) i join organisation o on o.slug = 'org-' || (1 + i % ${ORGS})`);
  // BENCH_WEBHOOKS=1: a platform-wide endpoint hears every event (the heaviest case for the
  // database's webhook triggers: each reminder and auto-issue records an event and its delivery).
  if (process.env.BENCH_WEBHOOKS === "1") {
    await handle.db.execute(sql`
      insert into webhook_endpoint (url, event_types)
      values ('https://hooks.bench.example/rotor', array[${sql.raw(WEBHOOK_EVENT_TYPES.map((t) => `'${t}'`).join(","))}]::text[])`);
  }
}

async function freshDatabase() {
  const handle = await emptyDatabase();
  await seedOrganisationsAndClients(handle);
  // Secrets created at random moments over the last 179 days, expiring at the end of their
  // 180th calendar day in the organisation's zone.
  await handle.db.execute(sql`
    insert into client_secret (client_id, digest, masked_tail, created_at, expires_at, issued_by)
    select s.id, encode(sha256(s.id::text::bytea), 'hex'), substr(md5(s.id::text), 1, 4), s.created,
           (((s.created at time zone s.time_zone)::date + 181)::timestamp at time zone s.time_zone), 'seed'
    from (
      select c.id, o.time_zone, now() - random() * interval '179 days' as created
      from oauth_client c join organisation o on o.id = c.organisation_id
    ) s`);
  if (process.env.BENCH_ANALYZE !== "0") await handle.db.execute(sql`analyze`);
  return handle;
}

/** The idle case: live secrets far from every reminder and auto-issue day, and old secrets long expired and recorded. */
async function idleDatabase() {
  const handle = await emptyDatabase();
  await seedOrganisationsAndClients(handle);
  // One secret per client, created at a random moment over the last 179 days (as the enqueue
  // case); the first run below catches up (auto-issue, reminders), so the timed runs find little.
  await handle.db.execute(sql`
    insert into client_secret (client_id, digest, masked_tail, created_at, expires_at, issued_by)
    select s.id, encode(sha256(s.id::text::bytea), 'hex'), substr(md5(s.id::text), 1, 4), s.created,
           (((s.created at time zone s.time_zone)::date + 181)::timestamp at time zone s.time_zone), 'seed'
    from (
      select c.id, o.time_zone, now() - random() * interval '179 days' as created
      from oauth_client c join organisation o on o.id = c.organisation_id
    ) s`);
  if (OLD_SECRETS > 0) {
    // History: secrets that expired long ago, their expiry recorded by an earlier run.
    await handle.db.execute(sql`
      insert into client_secret (client_id, digest, masked_tail, created_at, expires_at, issued_by, expiry_recorded_at)
      select c.id, encode(sha256((c.id::text || '-' || k)::bytea), 'hex'), substr(md5(c.id::text || k), 1, 4),
             now() - (k * 150 + 200) * interval '1 day', now() - (k * 150 + 20) * interval '1 day', 'seed',
             now() - (k * 150 + 19) * interval '1 day'
      from oauth_client c, generate_series(1, ${OLD_SECRETS}) k`);
  }
  if (process.env.BENCH_ANALYZE === "1") await handle.db.execute(sql`analyze`);
  return handle;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function idleMode() {
  // BENCH_REUSE=1 times another checkout's code on the database a previous idle run left: the
  // same rows, the same (missing) statistics, back to back.
  const handle = process.env.BENCH_REUSE === "1" ? await openDatabase({ url: databaseUrl() }) : await idleDatabase();
  if (process.env.BENCH_REUSE === "1" && process.env.BENCH_ANALYZE === "1") await handle.db.execute(sql`analyze`);
  const [stats] = await rows<{ secrets: number; analysed: boolean }>(
    handle.db,
    sql`select (select count(*)::int from client_secret) as secrets,
               (select last_analyze is not null or last_autoanalyze is not null from pg_stat_user_tables where relname = 'client_secret') as analysed`,
  );
  console.info(
    `${CLIENTS.toLocaleString("en-GB")} clients, ${stats?.secrets.toLocaleString("en-GB")} secrets (${OLD_SECRETS} old per client), client_secret ${stats?.analysed ? "analysed" : "never analysed"}`,
  );
  // The first run catches up (and creates the platform's signing keys): not what an idle hour costs.
  const catchUpStarted = performance.now();
  const catchUp = await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example" }, new Date());
  console.info(
    `catch-up run: ${((performance.now() - catchUpStarted) / 1000).toFixed(1)} s, ${catchUp.autoIssued} secrets auto-issued, ${catchUp.reminders.secrets} reminders enqueued (not delivered)`,
  );
  const steps: Record<string, number[]> = { total: [], autoIssue: [], expiries: [], secretReminders: [], keyReminders: [] };
  for (let run = 1; run <= RUNS; run++) {
    const now = new Date();
    const deps = { db: handle.db, keyRing, publicUrl: "https://rotor.example" };
    let summary: Awaited<ReturnType<typeof runScheduler>> | undefined;
    steps.total!.push(
      await time(async () => {
        summary = await runScheduler(deps, now);
      }),
    );
    steps.autoIssue!.push(await time(() => autoIssueDueSecrets(handle.db, keyRing, now)));
    steps.expiries!.push(await time(() => recordExpiries(handle.db, now)));
    steps.secretReminders!.push(await time(() => enqueueSecretReminders(handle.db, now)));
    steps.keyReminders!.push(await time(() => enqueueKeyReminders(handle.db, now)));
    const did = summary ? summary.autoIssued + summary.reminders.secrets + summary.expired.secrets : -1;
    console.info(
      `run ${run}: ${Object.entries(steps)
        .map(([k, v]) => `${k} ${v.at(-1)!.toFixed(0)} ms`)
        .join(", ")}; ${did} things done`,
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.info(
    `\nMedian of ${RUNS} idle runs at ${CLIENTS.toLocaleString("en-GB")} clients: ${Object.entries(steps)
      .map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`)
      .join(", ")}`,
  );
  await handle.close();
}

async function deliverDatabase(due: number) {
  const handle = await emptyDatabase();
  await seedOrganisationsAndClients(handle);
  // The first `due` clients' secrets are 1 to 30 days from their expiry day (a reminder due
  // today); the rest were created in the last 140 days (none due for at least ten days).
  await handle.db.execute(sql`
    insert into client_secret (client_id, digest, masked_tail, created_at, expires_at, issued_by)
    select s.id, encode(sha256(s.id::text::bytea), 'hex'), substr(md5(s.id::text), 1, 4), s.created,
           (((s.created at time zone s.time_zone)::date + 181)::timestamp at time zone s.time_zone), 'seed'
    from (
      select c.id, o.time_zone,
             case when row_number() over (order by c.client_id) <= ${due}
                  then now() - (150 + random() * 29) * interval '1 day'
                  else now() - random() * interval '140 days' end as created
      from oauth_client c join organisation o on o.id = c.organisation_id
    ) s`);
  if (process.env.BENCH_ANALYZE !== "0") await handle.db.execute(sql`analyze`);
  return handle;
}

async function deliverMode() {
  const due = Number(process.env.BENCH_DUE ?? 25_000);
  const port = Number(process.env.BENCH_PROVIDER_PORT ?? 4711);
  const latency = Number(process.env.BENCH_PROVIDER_LATENCY_MS ?? 0);
  const budgetMs = Number(process.env.BENCH_BUDGET_SECONDS ?? 50) * 1000;
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const provider = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/bench/fake-resend.ts", String(port), String(latency)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const providerUrl = `http://127.0.0.1:${port}`;
  const stats = async () =>
    (await (await fetch(`${providerUrl}/stats`)).json()) as { requests: number; distinct: number; repeats: number; mostInFlight: number };
  try {
    for (let i = 0; ; i++) {
      if (
        await stats().then(
          () => true,
          () => false,
        )
      )
        break;
      if (i > 200) throw new Error(`the fake provider did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const results: { ms: number; peakRss: number; baseRss: number; runs: number; sent: number }[] = [];
    for (let round = 1; round <= RUNS; round++) {
      const handle = await deliverDatabase(due);
      const before = await stats();
      const transport = resendTransport({ apiKey: "re_bench", baseUrl: providerUrl, from: "Rotor <no-reply@rotor.example>" });
      global.gc?.();
      const baseRss = process.memoryUsage().rss;
      let peakRss = baseRss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 25);
      const started = performance.now();
      let runs = 0;
      let sent = 0;
      let reminders = 0;
      let firstRunMs = 0;
      for (;;) {
        const summary = await runScheduler(
          { db: handle.db, keyRing, publicUrl: "https://rotor.example", transport, mail: { budgetMs, concurrency } },
          new Date(),
        );
        runs++;
        if (runs === 1) firstRunMs = summary.durationMs;
        sent += summary.email?.sent ?? 0;
        reminders += summary.reminders.secrets;
        const [left] = await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from email_outbox where status = 'pending'`);
        console.info(
          `  run ${runs}: ${(summary.durationMs / 1000).toFixed(1)} s, ${summary.reminders.secrets} reminders enqueued, ${summary.autoIssued} secrets auto-issued, sent ${summary.email?.sent}, retrying ${summary.email?.retrying}, dead ${summary.email?.dead}; ${left?.n} waiting`,
        );
        if ((left?.n ?? 0) === 0 || runs >= 50) break;
      }
      const ms = performance.now() - started;
      clearInterval(sampler);
      const after = await stats();
      const [outbox] = await rows<{ sent: number; total: number }>(
        handle.db,
        sql`select count(*) filter (where status = 'sent')::int as sent, count(*)::int as total from email_outbox`,
      );
      results.push({ ms, peakRss, baseRss, runs, sent });
      console.info(
        `round ${round}: outbox empty after ${(ms / 1000).toFixed(1)} s (${runs} runs; the first ${(firstRunMs / 1000).toFixed(1)} s): ${reminders} reminders, ${sent} e-mails sent (${Math.round(sent / (ms / 1000))}/s), outbox ${outbox?.sent}/${outbox?.total} sent; provider: ${after.requests - before.requests} requests, ${after.distinct - before.distinct} distinct keys, ${after.repeats - before.repeats} repeated, at most ${after.mostInFlight} at once; RSS ${mb(baseRss)} MB before, peak ${mb(peakRss)} MB`,
      );
      await handle.close();
    }
    const median = [...results].sort((a, b) => a.ms - b.ms)[Math.floor(results.length / 2)]!;
    console.info(
      `\nMedian of ${RUNS} rounds at ${CLIENTS.toLocaleString("en-GB")} clients, ${due.toLocaleString("en-GB")} due, concurrency ${concurrency}, budget ${budgetMs / 1000} s, provider latency ${latency} ms: outbox empty after ${(median.ms / 1000).toFixed(1)} s (goal: under 300 s) in ${median.runs} runs; peak RSS ${mb(median.peakRss)} MB (${mb(median.baseRss)} MB before)`,
    );
  } finally {
    provider.kill("SIGTERM");
  }
}

async function enqueueMode() {
  const results: {
    ms: number;
    peakRss: number;
    baseRss: number;
    autoIssued: number;
    reminders: number;
    retainedHeap: number;
    baseHeap: number;
  }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const handle = await freshDatabase();
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    const baseHeap = process.memoryUsage().heapUsed;
    let peakRss = baseRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 25);
    const started = performance.now();
    const summary = await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example" }, new Date());
    const ms = performance.now() - started;
    clearInterval(sampler);
    global.gc?.();
    const retainedHeap = process.memoryUsage().heapUsed;
    const [queued] = await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from email_outbox`);
    results.push({ ms, peakRss, baseRss, autoIssued: summary.autoIssued, reminders: summary.reminders.secrets, retainedHeap, baseHeap });
    console.info(
      `run ${run}: ${(ms / 1000).toFixed(2)} s for ${CLIENTS.toLocaleString("en-GB")} clients; ${summary.autoIssued} secrets auto-issued, ${summary.reminders.secrets} reminders enqueued (${queued?.n} e-mails); RSS ${mb(baseRss)} MB before, peak ${mb(peakRss)} MB; heap after GC ${mb(retainedHeap)} MB (${mb(baseHeap)} MB before)`,
    );
    await handle.close();
  }
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.info(
    `\nMedian of ${RUNS} runs: ${(median.ms / 1000).toFixed(2)} s (target under 10 s); peak RSS ${mb(median.peakRss)} MB against ${mb(median.baseRss)} MB before the run.`,
  );
}

if (MODE === "idle") await idleMode();
else if (MODE === "deliver") await deliverMode();
else if (MODE === "enqueue") await enqueueMode();
else throw new Error(`BENCH_MODE must be enqueue, idle or deliver, not ${MODE}`);
process.exit(0);
