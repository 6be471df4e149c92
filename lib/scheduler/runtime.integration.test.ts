import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { webhookLimits } from "@/lib/webhooks/policy";

/*
 * What a scheduler run is given in a deployment (lib/scheduler/runtime.ts): the configured
 * database, key ring and public origin, and the mail transport the environment chooses. Each test
 * loads the modules afresh under its own environment, because lib/env.ts reads process.env once.
 */

const keySpec = `rt:${randomBytes(32).toString("base64")}`;
const production = {
  ROTOR_ENV: "production",
  ROTOR_PUBLIC_URL: "https://rotor.example",
  AUTH_SECRET: "a".repeat(32),
  ROTOR_ENCRYPTION_KEYS: keySpec,
  DATABASE_URL: "postgres://rotor:rotor@127.0.0.1:5432/rotor_unused",
};

async function load(settings: Record<string, string | undefined>) {
  vi.resetModules();
  for (const name of [
    "RESEND_API_KEY",
    "RESEND_BASE_URL",
    "EMAIL_FROM",
    "ROTOR_ENV",
    "ROTOR_MAIL_BUDGET_SECONDS",
    "ROTOR_MAIL_CONCURRENCY",
  ])
    vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  const runtime = await import("./runtime");
  const transport = await import("@/lib/email/transport");
  return { ...runtime, devMailbox: transport.devMailbox };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** A stand-in for the Resend API that keeps each request's headers and whole JSON body. */
let resend: { url: string; requests: { path: string; headers: IncomingHttpHeaders; body: unknown }[]; close: () => Promise<void> };
beforeAll(async () => {
  const requests: { path: string; headers: IncomingHttpHeaders; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      requests.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(body) });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "re_1" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  resend = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(async () => resend?.close());

const message = { id: "m1", to: ["spoc@org.example"], subject: "Hello", html: "<p>Hello</p>", text: "Hello" };

describe("the mail transport a deployment uses", () => {
  it("is Resend when RESEND_API_KEY is set, at RESEND_BASE_URL, from EMAIL_FROM, even in production", async () => {
    const { mailTransport, usesDevMailbox } = await load({
      ...production,
      RESEND_API_KEY: "re_live_key",
      RESEND_BASE_URL: resend.url,
      EMAIL_FROM: "Northwind <rotor@northwind.example>",
    });
    const transport = mailTransport();
    expect(transport?.name).toBe("resend");
    expect(usesDevMailbox()).toBe(false);
    resend.requests.length = 0;
    expect(await transport!.send(message)).toEqual({ ok: true, providerId: "re_1" });
    expect(resend.requests.map((r) => ({ path: r.path, authorization: r.headers.authorization, body: r.body }))).toEqual([
      {
        path: "/emails",
        authorization: "Bearer re_live_key",
        body: {
          from: "Northwind <rotor@northwind.example>",
          to: ["spoc@org.example"],
          subject: "Hello",
          html: "<p>Hello</p>",
          text: "Hello",
        },
      },
    ]);
  });

  it("sends from Rotor's no-reply address when EMAIL_FROM is not set", async () => {
    const { mailTransport } = await load({ RESEND_API_KEY: "re_dev_key", RESEND_BASE_URL: resend.url });
    resend.requests.length = 0;
    await mailTransport()!.send(message);
    expect(resend.requests.map((r) => r.body)).toEqual([
      { from: "Rotor <no-reply@rotor.example>", to: ["spoc@org.example"], subject: "Hello", html: "<p>Hello</p>", text: "Hello" },
    ]);
  });

  it("is the development mailbox without a key outside production (Dev Tools shows what was sent)", async () => {
    for (const ROTOR_ENV of ["development", "test"]) {
      const { mailTransport, usesDevMailbox, devMailbox } = await load({ ROTOR_ENV });
      expect(mailTransport(), ROTOR_ENV).toBe(devMailbox);
      expect(usesDevMailbox(), ROTOR_ENV).toBe(true);
    }
  });

  it("is none in production without a key: mail waits in the outbox until one is set", async () => {
    const { mailTransport, usesDevMailbox } = await load(production);
    expect(mailTransport()).toBeUndefined();
    expect(usesDevMailbox()).toBe(false);
  });
});

describe("the scheduler's dependencies", () => {
  it("are the configured database, the configured key ring, the public origin, the chosen transport, the mail limits, the audit retention and where webhooks may go", async () => {
    const database = await createTestDatabase();
    const where = database.url
      ? { DATABASE_URL: database.url }
      : { DATABASE_URL: undefined, ROTOR_DATA_DIR: mkdtempSync(path.join(tmpdir(), "rotor-runtime-")) };
    try {
      const { schedulerDeps, devMailbox } = await load({
        ...where,
        ROTOR_ENV: "test",
        ROTOR_PUBLIC_URL: "https://portal.rotor.example",
        ROTOR_ENCRYPTION_KEYS: keySpec,
        ROTOR_MAIL_BUDGET_SECONDS: "120",
        ROTOR_MAIL_CONCURRENCY: "3",
        ROTOR_AUDIT_RETENTION_DAYS: "90",
      });
      const configured = await import("@/lib/data/database");
      try {
        const deps = await schedulerDeps();
        expect(deps).toEqual({
          db: await configured.getDb(),
          keyRing: parseKeyRing(keySpec),
          publicUrl: "https://portal.rotor.example",
          transport: devMailbox,
          mail: { budgetMs: 120_000, concurrency: 3 },
          auditRetentionDays: 90,
          webhooks: { limits: webhookLimits({ ROTOR_ENV: "test" }) },
        });
        expect(deps.db).toBe(await configured.getDb());
      } finally {
        await (await configured.getDatabaseHandle()).close();
      }
    } finally {
      await database.close();
    }
  });
});
