import { readFileSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { env } from "./lib/env";
import { CHROMIUM_ARGS, chromiumExecutable } from "./scripts/browser.mjs";

/**
 * Two production servers, after `next build`:
 * - main: the self-hosted server (`npm start`: machine paths served directly, the rest by Next), on
 *   the real Postgres server when DATABASE_URL is set (CI), else on its own PGlite folder;
 * - embedded: plain `next start` (route handlers for the machine paths), always PGlite, started on
 *   an empty folder, so first-start migration and seeding run.
 * e2e/production-mode.spec.ts starts a third, in production mode, for itself only; e2e/webhooks-delivery.spec.ts
 * a fourth, on a database of its own.
 * Chromium drives both: the system one where installed, else Playwright's own (scripts/browser.mjs).
 */
const serverUrl = env().DATABASE_URL;
// E2E_PORT_BASE lets two checkouts run their e2e suites side by side (ports and database differ).
const portBase = Number(process.env.E2E_PORT_BASE ?? 3200);
const mainPort = portBase;
const embeddedPort = portBase + 1;

function e2eDatabaseUrl(url: string): string {
  const u = new URL(url);
  u.pathname = portBase === 3200 ? "/rotor_e2e" : `/rotor_e2e_${portBase}`;
  return u.toString();
}

// A client's JWKS URL may be fetched again after a second (60 s in a deployment), so e2e/client-jwks.spec.ts
// can publish a new key and use it without waiting a minute.
// Warnings and errors only: an access line per request buried the test report in the CI log.
const common = {
  NEXT_TELEMETRY_DISABLED: "1",
  ROTOR_DEMO: "true",
  ROTOR_ENV: "test",
  ROTOR_JWKS_REFETCH_SECONDS: "1",
  ROTOR_LOG_LEVEL: "warn",
};
const opPort = portBase + 100;
const mailPort = portBase + 102;
// The specs reach the test OpenID Provider and the main server's e-mail inboxes here (workers load this file too).
process.env.E2E_OP_URL = `http://localhost:${opPort}`;
process.env.E2E_MAIL_URL = `http://127.0.0.1:${mailPort}`;
// The main server's database when it runs on the Postgres server; empty when it runs on PGlite.
process.env.E2E_DATABASE_URL = serverUrl ? e2eDatabaseUrl(serverUrl) : "";
// The main server signs in through the test OpenID Provider (e2e/oidc/op-server.ts).
const oidcKeys = JSON.parse(readFileSync("e2e/fixtures/oidc-keys.json", "utf8"));
const oidc = {
  OIDC_ISSUER: `http://localhost:${opPort}`,
  OIDC_CLIENT_ID: "rotor-test",
  OIDC_CLIENT_PRIVATE_KEY: JSON.stringify(oidcKeys.client.private),
  OIDC_PROVIDER_NAME: "GOV.UK One Login (test)",
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"], ["json", { outputFile: "reports/playwright.json" }]],
  timeout: 30_000,
  use: {
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
  },
  projects: [
    {
      name: "main",
      testIgnore:
        /(embedded|management-api|token-endpoint|organisation-management|platform|cross-tenant|production-mode|webhooks-delivery)\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${mainPort}` },
    },
    {
      // Changes the demo organisations' credentials: runs once the read-only specs are done.
      name: "changes",
      testMatch: /(management-api|token-endpoint|organisation-management|platform|cross-tenant)\.spec\.ts/,
      dependencies: ["main"],
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${mainPort}` },
    },
    {
      // The same token-endpoint suite through the Next.js route handlers (plain `next start`).
      name: "changes-route-handlers",
      testMatch: /token-endpoint\.spec\.ts/,
      dependencies: ["embedded"],
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${embeddedPort}` },
    },
    {
      // A production-mode server of its own, started by the spec (no allowance for test servers on localhost).
      name: "production",
      testMatch: /production-mode\.spec\.ts/,
      use: { ...devices["Desktop Chrome"] },
    },
    {
      // Webhooks end to end: a server and a database of its own, started by the spec, whose
      // scheduler clock it moves (`rotor cron run --now`); never the shared servers' database.
      name: "webhooks",
      testMatch: /webhooks-delivery\.spec\.ts/,
      use: { ...devices["Desktop Chrome"] },
    },
    {
      name: "embedded",
      // The demo on the embedded database, and what every mount must do alike.
      testMatch: /(embedded|hardening)\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${embeddedPort}` },
    },
  ],
  webServer: [
    {
      command: `exec npx tsx e2e/oidc/op-server.ts ${opPort} http://localhost:${mainPort}`,
      url: `http://localhost:${opPort}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      // The main server's e-mail goes through the real Resend SDK to this local provider.
      command: `exec npx tsx e2e/mail/fake-resend-server.ts ${mailPort}`,
      url: `http://127.0.0.1:${mailPort}/test/inbox?to=probe`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      command: serverUrl
        ? `npx tsx e2e/prepare-database.ts && exec npx tsx scripts/server.ts`
        : `rm -rf .data/e2e-main && exec npx tsx scripts/server.ts`,
      url: `http://localhost:${mainPort}/signin`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        ...common,
        ROTOR_DATA_DIR: ".data/e2e-main",
        PORT: String(mainPort),
        HOSTNAME: "localhost",
        ...oidc,
        // Every request here comes from 127.0.0.1: the per-address sign-in limit would make the specs
        // depend on each other (it has its own test in lib/rate-limit).
        ROTOR_LIMIT_SIGN_IN_PER_ADDRESS: "1000/600",
        ROTOR_LIMIT_TOKEN_FAILURES_PER_ADDRESS: "1000/60",
        RESEND_API_KEY: "re_e2e",
        RESEND_BASE_URL: `http://127.0.0.1:${mailPort}`,
        ROTOR_PUBLIC_URL: `http://localhost:${mainPort}`,
        ...(serverUrl ? { DATABASE_URL: e2eDatabaseUrl(serverUrl) } : {}),
      },
    },
    {
      command: `rm -rf .data/e2e-embedded && exec npx next start -p ${embeddedPort}`,
      url: `http://localhost:${embeddedPort}/signin`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: { ...common, ROTOR_DATA_DIR: ".data/e2e-embedded", ROTOR_PUBLIC_URL: `http://localhost:${embeddedPort}`, DATABASE_URL: "" },
    },
  ],
});
