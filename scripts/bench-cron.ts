/**
 * `npm run bench:cron`: one scheduler run over 100,000 clients whose secrets are spread over their
 * lifetimes, on the real Postgres server. Times the due computation and enqueueing (auto-issue,
 * expiries, reminders), not e-mail delivery, and samples the process's memory during the run.
 * Each of the three runs starts from a freshly seeded database. A benchmark, not a test.
 *
 * Options (environment): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_CLIENTS (100000), BENCH_RUNS (3).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { rows } from "@/lib/data/sql-rows";
import { runScheduler } from "@/lib/scheduler/run-scheduler";

const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
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

async function freshDatabase() {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe("drop database if exists rotor_bench_cron with (force)");
  await admin.unsafe("create database rotor_bench_cron");
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = "/rotor_bench_cron";
  const handle = await openDatabase({ url: url.toString() });
  await handle.migrate();
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
  await handle.db.execute(sql`analyze`);
  return handle;
}

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
process.exit(0);
