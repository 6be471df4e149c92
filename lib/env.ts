import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { KeyRingError, parseKeyRing } from "./crypto/encryption";
import { LIMIT_SPEC_HELP, parseLimitSpec } from "./rate-limit/spec";

/**
 * The one reader of process.env. Every setting is validated once; a bad value stops the
 * process with a message naming the variable, what was wrong and how to fix it.
 */

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""], {
    error: 'use "true" or "false"',
  })
  .optional()
  .transform((v) => v === "true" || v === "1");

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const postgresUrl = optionalText.refine(
  (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
  'must start with "postgres://" or "postgresql://"; leave it unset to use the embedded database',
);

/**
 * The public origin every URL Rotor writes is built from (the issuer, sign-in links, redirect
 * URIs, e-mail links): scheme, host and port only, so a request's Host or X-Forwarded-Host never
 * has a say. Unset only outside production (see the production rules below).
 */
const publicOrigin = optionalText
  .refine((v) => {
    if (v === undefined) return true;
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL, such as https://auth.example.com")
  .refine((v) => {
    if (v === undefined || !URL.canParse(v)) return true;
    const u = new URL(v);
    return (u.pathname === "/" || u.pathname === "") && u.search === "" && u.hash === "" && u.username === "" && u.password === "";
  }, "must be the origin only (scheme, host and port), such as https://auth.example.com, with no path, query or credentials")
  .transform((v) => (v === undefined ? undefined : new URL(v).origin));

/** A rate limit (lib/rate-limit/spec.ts), with the default a deployment gets when it says nothing. */
const limit = (fallback: string) =>
  optionalText.transform((v) => v ?? fallback).refine((v) => parseLimitSpec(v) !== "invalid", LIMIT_SPEC_HELP);

/** CIDR blocks, comma-separated: "10.0.0.0/8, 192.168.1.7/32, fd00::/8". */
const cidrList = optionalText.superRefine((v, ctx) => {
  if (v === undefined) return;
  for (const entry of v.split(",").map((x) => x.trim())) {
    if (parseCidr(entry) === null) {
      ctx.addIssue({
        code: "custom",
        message: `"${entry.slice(0, 60)}" is not a CIDR block; list the proxies in front of Rotor as CIDRs, such as 10.0.0.0/8, 127.0.0.1/32`,
      });
    }
  }
});

export function parseCidr(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const m = /^([0-9a-fA-F:.]+)(?:\/(\d{1,3}))?$/.exec(entry.trim());
  if (!m?.[1]) return null;
  const family = isIP(m[1]);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = m[2] === undefined ? max : Number(m[2]);
  if (prefix > max) return null;
  return { address: m[1], prefix, family: family === 4 ? "ipv4" : "ipv6" };
}

// Parsed here too, so a malformed key ring stops the start (lib/startup.ts) rather than failing
// the first request that needs it; the parser's messages name the entry, never the key.
const encryptionKeys = optionalText.superRefine((v, ctx) => {
  if (v === undefined) return;
  try {
    parseKeyRing(v);
  } catch (error) {
    if (!(error instanceof KeyRingError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message });
  }
});

const envSchema = z
  .object({
    ROTOR_ENV: z
      .enum(["development", "test", "production"], {
        error: 'use "development", "test" or "production"',
      })
      .default("development"),
    ROTOR_DEMO: booleanFlag,
    DATABASE_URL: postgresUrl,
    /**
     * Apply the SQL and data migrations when the process opens the Postgres database (the server,
     * the CLI), under the migration lock, so instances starting together migrate once
     * (docs/operations.md, "Migrations"). Off by default: `npm run db:migrate` in the deploy job.
     */
    ROTOR_MIGRATE_ON_START: booleanFlag,
    /**
     * How DATABASE_URL reaches Postgres (docs/operations.md, "Connection pooling"): "session" (a
     * direct connection, or a pooler in session mode; the default) or "transaction" (PgBouncer's
     * transaction pooling, where consecutive transactions of one client may run on different server
     * connections): postgres.js then prepares no named statements, which would be missing on the
     * next server connection. Rotor uses no other session state (advisory locks are transaction
     * locks; no SET, LISTEN or temporary table).
     */
    DATABASE_POOL_MODE: z.enum(["session", "transaction"], { error: 'use "session" or "transaction"' }).default("session"),
    ROTOR_DATA_DIR: optionalText,
    ROTOR_PUBLIC_URL: publicOrigin,
    /** Proxies whose X-Forwarded-For is believed (lib/http/client-address.ts). */
    ROTOR_TRUSTED_PROXIES: cidrList,
    /**
     * A header a hosting platform sets itself and callers cannot (Vercel: x-real-ip), read only
     * when Rotor is not served by its own server (plain `next start`, serverless).
     */
    ROTOR_CLIENT_ADDRESS_HEADER: optionalText.refine(
      (v) => v === undefined || /^[a-z0-9-]{1,64}$/.test(v),
      "must be a lower-case header name, such as x-real-ip",
    ),
    PORT: z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535, { error: "must be a port number" }).default(3000),
    HOSTNAME: optionalText,
    /**
     * Rate limits (docs/security.md, "Rate limits"). Failed client authentications at the token and
     * introspection endpoints, per client_id and per client address; successful token requests
     * per client (off unless set); sign-in links per e-mail address and per client address;
     * management API calls per token.
     */
    ROTOR_LIMIT_TOKEN_FAILURES_PER_CLIENT: limit("50/60"),
    ROTOR_LIMIT_TOKEN_FAILURES_PER_ADDRESS: limit("30/60"),
    ROTOR_LIMIT_TOKEN_REQUESTS_PER_CLIENT: limit("off"),
    ROTOR_LIMIT_SIGN_IN_PER_EMAIL: limit("1/60,5/3600"),
    ROTOR_LIMIT_SIGN_IN_PER_EMAIL_TOTAL: limit("20/3600"),
    ROTOR_LIMIT_SIGN_IN_PER_ADDRESS: limit("20/600"),
    ROTOR_LIMIT_API_PER_TOKEN: limit("120/60"),
    /**
     * Where the token endpoint's and the management API's counts live: "memory" (each instance
     * its own, the fastest) or "postgres" (shared by every instance). Sign-in always counts in
     * Postgres, where being right matters more than speed.
     */
    /**
     * Revealing, rotating or revoking a credential and registering a key need a sign-in within this
     * many minutes; an older session is asked to sign in again first (docs/security.md).
     */
    /**
     * Audit events older than this many days are deleted by the scheduler's run (docs/domain.md,
     * "The audit log"); 400 keeps a year and a month, for a yearly review.
     */
    ROTOR_AUDIT_RETENTION_DAYS: z.coerce
      .number({ error: "must be a whole number of days" })
      .int({ error: "must be a whole number of days" })
      .min(30, { error: "must be at least 30 days" })
      .max(36_500, { error: "must be at most 36500 days" })
      .default(400),
    ROTOR_STEP_UP_MINUTES: z.coerce
      .number({ error: "must be a whole number of minutes" })
      .int({ error: "must be a whole number of minutes" })
      .min(1, { error: "must be at least 1 minute" })
      .max(480, { error: "must be at most 480 minutes (a session's whole life)" })
      .default(10),
    /**
     * A client's JWKS URL is fetched again for an unknown kid at most once in this many seconds
     * (docs/domain.md, "Keys at a JWKS URL"); the e2e suite shortens it.
     */
    ROTOR_JWKS_REFETCH_SECONDS: z.coerce
      .number({ error: "must be a whole number of seconds" })
      .int({ error: "must be a whole number of seconds" })
      .min(1, { error: "must be at least 1 second" })
      .max(3600, { error: "must be at most 3600 seconds" })
      .default(60),
    /**
     * Graceful shutdown (docs/operations.md, "Shutdown"): on SIGTERM or SIGINT the self-hosted server
     * reports not ready and keeps serving for the drain delay (default 5 s, 0 on the embedded
     * database, which no load balancer fronts), then refuses new connections and finishes the
     * requests in flight; past the timeout (default 15 s from the signal) it exits with 1.
     */
    ROTOR_SHUTDOWN_DRAIN_SECONDS: z.coerce
      .number({ error: "must be a whole number of seconds" })
      .int({ error: "must be a whole number of seconds" })
      .min(0, { error: "must be 0 or more seconds" })
      .max(300, { error: "must be at most 300 seconds" })
      .optional(),
    ROTOR_SHUTDOWN_TIMEOUT_SECONDS: z.coerce
      .number({ error: "must be a whole number of seconds" })
      .int({ error: "must be a whole number of seconds" })
      .min(1, { error: "must be at least 1 second" })
      .max(600, { error: "must be at most 600 seconds" })
      .default(15),
    /**
     * How stale an instance's memory of the platform's signing keys and of the audiences whoami and
     * introspection accept may be, in seconds (lib/oauth/machine.ts; docs/deploy.md, "What an instance
     * keeps in memory"). A new key is published a day before it signs, so the default minute is
     * harmless; the cluster test shortens it.
     */
    ROTOR_MACHINE_CACHE_SECONDS: z.coerce
      .number({ error: "must be a whole number of seconds" })
      .int({ error: "must be a whole number of seconds" })
      .min(1, { error: "must be at least 1 second" })
      .max(3600, { error: "must be at most 3600 seconds (a new signing key is published a day ahead; keep well under that)" })
      .default(60),
    /** The least severe log line written (pino's levels; docs/observability.md). */
    ROTOR_LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: 'use "fatal", "error", "warn", "info", "debug", "trace" or "silent"',
      })
      .default("info"),
    /**
     * The bearer token a Prometheus scraper sends to GET /metrics (docs/observability.md); unset,
     * /metrics answers 404. At least 32 characters, so it cannot be guessed.
     */
    ROTOR_METRICS_TOKEN: optionalText.refine(
      (v) => v === undefined || /^[\x21-\x7e]{32,256}$/.test(v),
      "must be 32 to 256 visible ASCII characters, no spaces (try: openssl rand -hex 32)",
    ),
    ROTOR_RATE_LIMIT_STORE: z.enum(["memory", "postgres"], { error: 'use "memory" or "postgres"' }).default("memory"),
    AUTH_SECRET: optionalText.refine(
      (v) => v === undefined || v.length >= 32,
      "must be at least 32 characters (try: openssl rand -base64 32)",
    ),
    ROTOR_ENCRYPTION_KEYS: encryptionKeys,
    CRON_SECRET: optionalText,
    RESEND_API_KEY: optionalText,
    RESEND_BASE_URL: optionalText,
    EMAIL_FROM: optionalText,
    /**
     * A scheduler run claims no more mail once this many seconds have passed since it started; the
     * rest waits for the next run. Below the cron route's limit (app/api/cron/rotation: 300 s; 50
     * also fits a 60-second serverless plan, enqueueing included).
     */
    ROTOR_MAIL_BUDGET_SECONDS: z.coerce
      .number({ error: "must be a whole number of seconds" })
      .int({ error: "must be a whole number of seconds" })
      .min(1, { error: "must be at least 1 second" })
      .max(3600, { error: "must be at most 3600 seconds" })
      .default(50),
    /** How many e-mails a scheduler run sends at once (each its own provider call and idempotency key). */
    ROTOR_MAIL_CONCURRENCY: z.coerce
      .number({ error: "must be a whole number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be at least 1" })
      .max(64, { error: "must be at most 64" })
      .default(8),
    OIDC_ISSUER: optionalText.refine(
      (v) => v === undefined || /^https?:\/\//.test(v),
      "must be the provider's issuer URL, e.g. https://oidc.integration.account.gov.uk",
    ),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_PRIVATE_KEY: optionalText,
    OIDC_PROVIDER_NAME: optionalText,
    OIDC_SCOPES: optionalText,
  })
  .superRefine((env, ctx) => {
    if (shutdownDrainSeconds(env) >= env.ROTOR_SHUTDOWN_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["ROTOR_SHUTDOWN_TIMEOUT_SECONDS"],
        message: `must be longer than the drain delay (ROTOR_SHUTDOWN_DRAIN_SECONDS, ${shutdownDrainSeconds(env)} s), or no request in flight could finish`,
      });
    }
    if (env.OIDC_ISSUER && (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_PRIVATE_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_CLIENT_ID"],
        message: "OIDC sign-in needs OIDC_CLIENT_ID and OIDC_CLIENT_PRIVATE_KEY (the private JWK for private_key_jwt) with OIDC_ISSUER",
      });
    }
    if (env.ROTOR_ENV !== "production") return;
    if (env.ROTOR_PUBLIC_URL === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["ROTOR_PUBLIC_URL"],
        message: "is required in production: the https origin people and systems reach Rotor at, such as https://auth.example.com",
      });
    } else if (!env.ROTOR_PUBLIC_URL.startsWith("https://")) {
      ctx.addIssue({
        code: "custom",
        path: ["ROTOR_PUBLIC_URL"],
        message: "must be an https:// origin in production (sign-in links and the OAuth issuer must not travel in clear)",
      });
    }
    if (env.ROTOR_DEMO) {
      ctx.addIssue({
        code: "custom",
        path: ["ROTOR_DEMO"],
        message: "demo sign-in is never allowed in production; unset ROTOR_DEMO",
      });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "is required in production (the embedded database is for development and demos)",
      });
    }
    if (!env.AUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: "is required in production (try: openssl rand -base64 32)",
      });
    }
    if (!env.ROTOR_ENCRYPTION_KEYS) {
      ctx.addIssue({
        code: "custom",
        path: ["ROTOR_ENCRYPTION_KEYS"],
        message: "is required in production: a key id and a base64 32-byte key, as kid:base64",
      });
    }
  });

function shutdownDrainSeconds(env: { ROTOR_SHUTDOWN_DRAIN_SECONDS?: number; DATABASE_URL?: string }): number {
  return env.ROTOR_SHUTDOWN_DRAIN_SECONDS ?? (env.DATABASE_URL === undefined ? 0 : 5);
}

/** Where the development server listens when nothing else is said. */
const DEVELOPMENT_ORIGIN = "http://localhost:3000";

export type Env = Omit<z.output<typeof envSchema>, "ROTOR_PUBLIC_URL" | "ROTOR_SHUTDOWN_DRAIN_SECONDS"> & {
  /** Seconds to keep serving after SIGTERM while reporting not ready: as set, else 5 (0 embedded). */
  ROTOR_SHUTDOWN_DRAIN_SECONDS: number;
  /** The public origin, no trailing slash: ROTOR_PUBLIC_URL, or the development default. */
  ROTOR_PUBLIC_URL: string;
  /** Absolute folder for the embedded database and development-only secrets. */
  dataDir: string;
  /** The embedded database is used when no DATABASE_URL is given. */
  embedded: boolean;
};

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment; pure, so tests can pass their own. */
export function parseEnv(source: Record<string, string | undefined>, cwd: string): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join(".") || "environment";
      const given = typeof issue.path[0] === "string" ? source[issue.path[0]] : undefined;
      const shown = given === undefined || /SECRET|KEY|URL|TOKEN/.test(key) ? "" : ` (got "${given}")`;
      return `  - ${key}: ${issue.message}${shown}`;
    });
    throw new EnvError(
      `Rotor cannot start: the environment has ${lines.length === 1 ? "a bad value" : "bad values"}.\n${lines.join("\n")}\nSee .env.example for every setting.`,
    );
  }
  const env = result.data;
  return {
    ...env,
    ROTOR_PUBLIC_URL: env.ROTOR_PUBLIC_URL ?? DEVELOPMENT_ORIGIN,
    ROTOR_SHUTDOWN_DRAIN_SECONDS: shutdownDrainSeconds(env),
    dataDir: path.resolve(cwd, env.ROTOR_DATA_DIR ?? ".data"),
    embedded: env.DATABASE_URL === undefined,
  };
}

let cached: Env | undefined;

export function env(): Env {
  if (cached === undefined) {
    cached = parseEnv(process.env, process.cwd());
    // Auth.js reads its own URL from process.env.AUTH_URL only (next-auth's reqWithEnvURL and
    // createActionURL); without it, it builds links from the request's Host/X-Forwarded-Host. Pin
    // it to the configured origin, so no request header ever steers a sign-in link; whatever the
    // environment said (NEXTAUTH_URL too) is replaced.
    process.env.AUTH_URL = `${cached.ROTOR_PUBLIC_URL}/api/auth`;
    delete process.env.NEXTAUTH_URL;
  }
  return cached;
}
