import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { WEBHOOK_EVENT_TYPES } from "../lib/webhooks/event-types";
import { people, signInAs } from "./helpers";

/*
 * Webhooks, done when (docs/webhooks.md): an endpoint registered with `rotor webhooks add` for
 * every event of Northwind hears, exactly once each and signed so that the standardwebhooks
 * library verifies every request, of the designated user's rotation and revocation in the portal,
 * the scheduler's reminder day and an old secret still in use, a delivery the receiver refused
 * three times (sent again after the outbox's 5, 10 and 20 minutes), and waiting events that two
 * scheduler runs started at once share without sending one twice.
 *
 * The scheduler is run by `rotor cron run --now <instant>`, its clock moved forward, so this spec
 * has a server and a database of its own (its own project, like production-mode.spec.ts): the
 * shared e2e database is never touched. It needs the Postgres server, as in CI.
 */
test.describe.configure({ mode: "serial" });

const databaseUrl = process.env.E2E_DATABASE_URL ?? "";
const port = Number(process.env.E2E_PORT_BASE ?? 3200) + 150;
const base = `http://localhost:${port}`;
const tsx = path.resolve("node_modules/.bin/tsx");
const MINUTE = 60_000;
/** Events waiting, besides the CLI's six, when two scheduler runs start at once. */
const BACKLOG = 60;
const DAY = 24 * 60 * MINUTE;
const LONDON = "Europe/London";
/** The portal's answers, on a busy machine: more patience than the default five seconds. */
const ui = expect.configure({ timeout: 30_000 });

test.use({ baseURL: base });

let server: ChildProcess | null = null;
let serverOutput = "";
let specDatabase = "";
/** The spec's server's and CLI's settings: the same database and encryption keys. */
let env: NodeJS.ProcessEnv = { NODE_ENV: "production" };

/** What the receiver was sent, verified on arrival (the signature's timestamp is checked against the real clock). */
interface Received {
  webhookId: string;
  status: number;
  event: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  error: string | null;
}

let receiver: Server | null = null;
let receiverUrl = "";
let signingSecret = "";
const received: Received[] = [];
/** The receiver refuses (500) this many requests for the event `refuse` picks, then accepts it. */
const refusals = { left: 3, refuse: (_e: NonNullable<Received["event"]>) => false, delayMs: 0 };

function verify(body: string, headers: IncomingHttpHeaders): Pick<Received, "event" | "error"> {
  try {
    return { event: new Webhook(signingSecret).verify(body, headers as Record<string, string>) as Received["event"], error: null };
  } catch (error) {
    return { event: null, error: String(error) };
  }
}

test.beforeAll(async () => {
  test.skip(
    databaseUrl === "",
    "This spec moves the scheduler's clock on a database of its own: it needs the Postgres server (set DATABASE_URL), as in CI.",
  );
  test.setTimeout(300_000);

  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { event, error } = verify(Buffer.concat(chunks).toString("utf8"), req.headers);
      let status = event ? 200 : 401;
      if (event && refusals.left > 0 && refusals.refuse(event)) {
        refusals.left--;
        status = 500;
      }
      received.push({ webhookId: String(req.headers["webhook-id"]), status, event, error });
      // A slow answer, when asked, keeps a scheduler run busy while another claims.
      setTimeout(() => {
        res.statusCode = status;
        res.end(status === 200 ? "ok" : "receiver says no");
      }, refusals.delayMs);
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  const url = new URL(databaseUrl);
  url.pathname = `${url.pathname}_webhooks`;
  specDatabase = url.toString();
  env = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NEXT_TELEMETRY_DISABLED: "1",
    ROTOR_ENV: "test",
    ROTOR_DEMO: "true",
    DATABASE_URL: specDatabase,
    ROTOR_DATA_DIR: ".data/e2e-webhooks",
    ROTOR_PUBLIC_URL: base,
    ROTOR_ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
    AUTH_SECRET: randomBytes(32).toString("base64"),
  };
  // A fresh database, migrated and seeded from today (the demo organisations).
  const prepared = spawnSync(tsx, ["e2e/prepare-database.ts"], { env, encoding: "utf8" });
  if (prepared.status !== 0) throw new Error(`e2e/prepare-database.ts failed: ${prepared.stderr}`);

  server = spawn(tsx, ["scripts/server.ts"], {
    env: { ...env, PORT: String(port), HOSTNAME: "localhost" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = (d: Buffer) => {
    serverOutput = (serverOutput + d.toString()).slice(-4000);
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  await expect
    .poll(
      async () => {
        if (server?.exitCode !== null) throw new Error(`the webhooks spec's server stopped: ${serverOutput}`);
        return fetch(`${base}/signin`).then(
          (r) => r.ok,
          () => false,
        );
      },
      { timeout: 240_000, message: "the webhooks spec's server did not start" },
    )
    .toBe(true);
});

test.afterAll(async () => {
  // The server and its children: the process group this spec started.
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    process.kill(-server.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  }
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(null)));
  if (specDatabase) {
    const adminUrl = new URL(specDatabase);
    const name = adminUrl.pathname.slice(1);
    adminUrl.pathname = "/postgres";
    const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  }
});

/** The operator CLI as a process of its own (never blocking this one: the receiver answers here). */
function rotor(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["scripts/rotor.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

async function rotorJson(...args: string[]) {
  const r = await rotor("--json", ...args);
  if (r.status !== 0) throw new Error(`rotor ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interface RunSummary {
  at: string;
  webhooks: { oldSecretsStillInUse: number; delivery: { sent: number; retrying: number; dead: number; endpointsDisabled: number } };
}

/** One scheduler run as if at `at`. */
const cronRun = (at: number): Promise<RunSummary> => rotorJson("cron", "run", "--now", new Date(at).toISOString());

async function query<T extends readonly object[]>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(specDatabase, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}

/** Northwind's secrets by client, oldest first. */
async function northwindSecrets(): Promise<Record<"production" | "sandbox", { id: string; lastUsedAt: Date | null }[]>> {
  const rows = await query(
    (sql) => sql<{ id: string; name: string; last_used_at: Date | null }[]>`
      select s.id, c.name, s.last_used_at from client_secret s
      join oauth_client c on c.id = s.client_id join organisation o on o.id = c.organisation_id
      where o.slug = 'northwind' order by s.created_at`,
  );
  const of = (name: string) => rows.filter((r) => r.name === name).map((r) => ({ id: r.id, lastUsedAt: r.last_used_at }));
  return { production: of("Claims submission (production)"), sandbox: of("Claims submission (sandbox)") };
}

/** Deliveries by status. */
async function deliveries(): Promise<Record<string, number>> {
  const rows = await query(
    (sql) => sql<{ status: string; n: number }[]>`select status, count(*)::int as n from webhook_delivery group by status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** An event as one comparable line: its type and what it is about. */
function describeEvent(event: NonNullable<Received["event"]>): string {
  const data = event.data as {
    client: { clientId: string };
    change?: string;
    reminderDays?: number;
    secret?: { id: string };
  };
  if (event.type === "client.changed") return `client.changed ${data.client.clientId} ${data.change}`;
  if (event.type === "secret.expiring") return `secret.expiring ${data.secret!.id} ${data.reminderDays}`;
  return `${event.type} ${data.secret!.id}`;
}

/** The events the receiver accepted from index `from` on, described, sorted. */
const acceptedSince = (from: number) =>
  received
    .slice(from)
    .filter((r) => r.status === 200)
    .map((r) => describeEvent(r.event!))
    .sort();

/** YYYY-MM-DD in London, `days` after today. */
function londonDay(days: number): string {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: LONDON }).format(new Date()).split("-").map(Number) as [
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

test("a webhook endpoint registered with the CLI hears of every change exactly once, verified, through refusals and two scheduler runs at once", async ({
  page,
}) => {
  test.setTimeout(900_000);
  const seeded = await northwindSecrets();
  const [oldProduction] = seeded.production; // inside its overlap: 20 days left, its successor live (db/seed.ts)
  const [sandboxFirst] = seeded.sandbox;
  const clientIds = Object.fromEntries(
    (
      await query(
        (sql) => sql<{ name: string; client_id: string }[]>`
          select c.name, c.client_id from oauth_client c join organisation o on o.id = c.organisation_id where o.slug = 'northwind'`,
      )
    ).map((r) => [r.name, r.client_id]),
  );
  const production = clientIds["Claims submission (production)"]!;
  const sandbox = clientIds["Claims submission (sandbox)"]!;
  /** Every event the receiver should accept, once each, as describeEvent writes them. */
  const expected: string[] = [];
  /** The events accepted since `mark` are these, and they join the expected ones. */
  const expectAcceptedSince = (mark: number, events: string[]) => {
    expect(acceptedSince(mark)).toEqual([...events].sort());
    expected.push(...events);
  };

  await test.step("the operator registers an endpoint for every event of Northwind with the CLI; its signing secret is printed once", async () => {
    const added = await rotorJson(
      "webhooks",
      "add",
      "--org",
      "northwind",
      "--url",
      receiverUrl,
      "--events",
      WEBHOOK_EVENT_TYPES.join(","),
      "--description",
      "e2e receiver",
    );
    expect(added.endpoint).toMatchObject({ organisation: "northwind", url: receiverUrl, eventTypes: [...WEBHOOK_EVENT_TYPES] });
    expect(added.signingSecret).toMatch(/^whsec_/);
    signingSecret = added.signingSecret;
  });

  let v1 = "";
  await test.step("the designated user rotates the sandbox client's secret, revokes the old one, and rotates again keeping the first new one two days", async () => {
    await signInAs(page, people.northwindSpoc);
    await page.goto("/orgs/northwind/manage/api");
    const client = page.getByRole("article").filter({ hasText: "Claims submission (sandbox)" });
    const rows = client.getByTestId("secret-row");
    await ui(rows).toHaveCount(1);
    const rotate = client.getByRole("button", { name: "Rotate secret of Claims submission (sandbox)" });
    const dialog = page.getByRole("dialog", { name: "Rotate the secret of Claims submission (sandbox)" });

    // The usual overlap: both secrets live.
    await rotate.click();
    await dialog.getByRole("button", { name: "Issue the new secret" }).click();
    await ui(client.getByTestId("secret-value")).toHaveValue(/^rtr_cs_/);
    v1 = await client.getByTestId("secret-value").inputValue();
    await client.getByRole("button", { name: "I have stored it" }).click();
    await ui(rows).toHaveCount(2);

    // The old one (oldest first, last used three days ago) is revoked.
    const old = rows.first();
    await old.getByRole("button", { name: "Revoke" }).click();
    await old.getByRole("button", { name: "Yes, revoke it" }).click();
    await ui(rows).toHaveCount(1);
    await expect(rows.getByTestId("masked-secret")).toHaveText(new RegExp(`${v1.slice(-4)}$`));

    // Again, the current secret (v1) kept until the day after tomorrow: within three days of its end.
    await ui(rotate).toBeEnabled();
    await rotate.click();
    await dialog.getByRole("radio", { name: "Until a day I choose" }).check();
    await dialog.getByLabel("Last day the current secret works").fill(londonDay(2));
    await dialog.getByRole("button", { name: "Issue the new secret" }).click();
    await ui(client.getByTestId("secret-value")).toHaveValue(/^rtr_cs_/);
    expect(await client.getByTestId("secret-value").inputValue()).not.toBe(v1);
    await client.getByRole("button", { name: "I have stored it" }).click();
    await ui(rows).toHaveCount(2);
  });

  const secrets = await northwindSecrets();
  const [, first, second] = secrets.sandbox;
  expect(secrets.sandbox[0]!.id).toBe(sandboxFirst!.id);

  await test.step("each change reaches the receiver within seconds of the portal's answer", async () => {
    // Sent right after each answer (lib/webhooks/deliver-soon.ts): waited for before the clock moves,
    // so no delivery is in flight when a run as if later could take it over.
    await expect.poll(deliveries, { timeout: 60_000 }).toEqual({ sent: 3 });
    expectAcceptedSince(0, [`secret.issued ${first!.id}`, `secret.revoked ${sandboxFirst!.id}`, `secret.issued ${second!.id}`]);
  });

  await test.step("a system still uses the old secret: the token endpoint records its use", async () => {
    // A real token request (the real clock): the run below is kept within a day of it, so the
    // "used within the last day" condition holds without writing last_used_at by hand.
    const res = await fetch(`${base}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${sandbox}:${v1}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    expect(res.status).toBe(200);
    // Uses are written in batches every few seconds (lib/oauth/usage.ts).
    await expect.poll(async () => (await northwindSecrets()).sandbox[1]!.lastUsedAt !== null, { timeout: 60_000 }).toBe(true);
  });

  // The receiver refuses the production secret's 20-day reminder three times.
  refusals.refuse = (e) => e.type === "secret.expiring" && e.data.reminderDays === 20;
  const start = Date.now() + MINUTE;
  let at = start;

  await test.step("the scheduler's run: the reminder days (3 days left for v1, 20 for production's old secret) and v1 still in use", async () => {
    const mark = received.length;
    const run = await cronRun(at);
    expect(run.webhooks).toEqual({ oldSecretsStillInUse: 1, delivery: { sent: 2, retrying: 1, dead: 0, endpointsDisabled: 0 } });
    expectAcceptedSince(mark, [`old_secret.still_in_use ${first!.id}`, `secret.expiring ${first!.id} 3`]);
    const stillInUse = received.find((r) => r.event?.type === "old_secret.still_in_use")!.event!;
    expect(stillInUse.data).toMatchObject({ secret: { id: first!.id }, successor: { id: second!.id } });
  });

  await test.step("the refused event is sent again after 5, 10 and 20 minutes, and accepted the fourth time, with the same webhook-id", async () => {
    for (const [backoff, outcome] of [
      [5, { sent: 0, retrying: 1 }],
      [10, { sent: 0, retrying: 1 }],
      [20, { sent: 1, retrying: 0 }],
    ] as const) {
      // A minute early, nothing is due.
      expect((await cronRun(at + (backoff - 1) * MINUTE)).webhooks.delivery).toMatchObject({ sent: 0, retrying: 0 });
      at += (backoff + 1) * MINUTE;
      expect((await cronRun(at)).webhooks.delivery).toMatchObject({ ...outcome, dead: 0 });
    }
    const attempts = received.filter((r) => r.event?.type === "secret.expiring" && r.event.data.reminderDays === 20);
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(attempts.map((r) => r.webhookId)).size).toBe(1);
    expect(attempts.map((r) => describeEvent(r.event!))).toEqual(Array(4).fill(`secret.expiring ${oldProduction!.id} 20`));
    expected.push(`secret.expiring ${oldProduction!.id} 20`);
    expect(await deliveries()).toEqual({ sent: 6 });
  });

  await test.step("changes made with the CLI wait for the scheduler with a backlog; two runs started at once send each exactly once", async () => {
    // The CLI does not send as the portal does: its changes wait for the next run.
    await Promise.all(
      [production, sandbox].map(async (clientId) => {
        await rotorJson("client", "update", clientId, "--token-lifetime", "900");
        await rotorJson("client", "disable", clientId);
        await rotorJson("client", "enable", clientId);
      }),
    );
    // Six would all go to one run's first claim (ten at a time): a backlog, as after an outage,
    // written the way the database writes events (rotor_emit_webhook, migration 0023), gives the
    // two runs enough to contend for.
    await query(
      (sql) => sql`
        select rotor_emit_webhook(c.organisation_id, 'client.changed',
          rotor_webhook_client(c, o) || jsonb_build_object('change', 'backlog ' || n), null, now())
        from oauth_client c join organisation o on o.id = c.organisation_id cross join generate_series(1, ${BACKLOG}) n
        where c.client_id = ${sandbox}`,
    );
    const waiting = await query(
      (sql) => sql<{ event_id: string; type: string }[]>`
        select d.event_id, ev.type from webhook_delivery d join webhook_event ev on ev.id = d.event_id where d.status = 'pending'`,
    );
    expect(waiting.map((w) => w.type)).toEqual(Array(6 + BACKLOG).fill("client.changed"));

    const mark = received.length;
    // A slow receiver keeps each run sending while the other claims.
    refusals.delayMs = 50;
    at += MINUTE;
    const runs = await Promise.all([cronRun(at), cronRun(at)]);
    refusals.delayMs = 0;
    const fresh = received.slice(mark);
    expect(fresh.filter((r) => r.status !== 200)).toEqual([]);
    expect(fresh.map((r) => r.webhookId).sort()).toEqual(waiting.map((w) => w.event_id).sort());
    expect(runs.reduce((n, r) => n + r.webhooks.delivery.sent, 0)).toBe(6 + BACKLOG);
    // How the two runs shared the work depends on the machine's load: noted, not asserted.
    test.info().annotations.push({ type: "concurrent runs sent", description: runs.map((r) => r.webhooks.delivery.sent).join(" + ") });
    expectAcceptedSince(mark, [
      ...[production, sandbox].flatMap((id) =>
        ["settings_updated", "disabled", "enabled"].map((change) => `client.changed ${id} ${change}`),
      ),
      ...Array.from({ length: BACKLOG }, (_, i) => `client.changed ${sandbox} backlog ${i + 1}`),
    ]);
    expect(await deliveries()).toEqual({ sent: 12 + BACKLOG });
  });

  await test.step("ten days on: production's old secret's 10-day reminder, and v1's expiry", async () => {
    const mark = received.length;
    // Half a day past ten days: the 10th or 11th calendar day on, 9 or 10 days left, whatever the hour.
    const run = await cronRun(start + 10 * DAY + DAY / 2);
    expect(run.webhooks.delivery).toMatchObject({ sent: 2, retrying: 0 });
    expectAcceptedSince(mark, [`secret.expired ${first!.id}`, `secret.expiring ${oldProduction!.id} 10`]);
  });

  await test.step("every request verified; every event accepted exactly once", () => {
    expect(received.filter((r) => r.event === null).map((r) => r.error)).toEqual([]);
    const accepted = received.filter((r) => r.status === 200);
    expect(acceptedSince(0)).toEqual([...expected].sort());
    expect(accepted).toHaveLength(14 + BACKLOG);
    expect(new Set(accepted.map((r) => r.webhookId)).size).toBe(accepted.length);
    // Three refused attempts, all of the one event accepted later.
    expect(received).toHaveLength(accepted.length + 3);
  });
});
