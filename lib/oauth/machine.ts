import type { Database } from "@/db/client";
import type { KeyRing } from "@/lib/crypto/encryption";
import { pendingMigrations, pingDatabase } from "@/lib/data/health";
import { getPlatformSettings } from "@/lib/data/platform";
import { createTokenStore, sweepConsumedAssertions } from "@/lib/data/token-store";
import { errorSummary } from "@/lib/error-summary";
import { isDraining } from "@/lib/health/draining";
import { createReadiness, healthz } from "@/lib/health/readiness";
import type { OutboundResponse } from "@/lib/http/outbound";
import { logLine } from "@/lib/log/logger";
import { type ClientAuthGuard, UNGUARDED } from "./client-authentication";
import { createJwksSource } from "./client-jwks-source";
import { ALLOWED_METHODS } from "./constants";
import { jsonResponse } from "./errors";
import { createIntrospectionEndpoint } from "./introspection";
import { metadataResponse, methodNotAllowed } from "./metadata";
import { createWhoamiEndpoint } from "./protected-api";
import { createKeyCache, ensureSigningKeys } from "./signing-keys";
import { createTokenEndpoint } from "./token-endpoint";
import { UsageRecorder } from "./usage";

export type FetchHandler = (request: Request) => Promise<Response>;

/** The machine-facing paths, served identically by the route handlers and the self-hosted server. */
export const MACHINE_PATHS = [
  "/oauth/token",
  "/oauth/introspect",
  "/.well-known/oauth-authorization-server",
  "/.well-known/jwks.json",
  "/api/v1/whoami",
  // Health for load balancers (lib/health/readiness.ts): served here so the self-hosted server
  // answers them without Next and both mounts answer alike.
  "/healthz",
  "/readyz",
] as const;
export type MachinePath = (typeof MACHINE_PATHS)[number];

export interface MachineOptions {
  db: Database;
  keyRing: KeyRing;
  issuer: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** Background upkeep (usage flush, jti sweep, key rotation); off in tests that flush by hand. */
  background?: boolean;
  /** Rate limits on client authentication; none unless given. */
  guard?: ClientAuthGuard;
  /** The client address of a request, as the mount decided it; unknown unless given. */
  addressOf?: (request: Request) => string | null;
  /** How a throttled answer waits (tests pass one that records and returns at once). */
  hold?: (ms: number) => Promise<void>;
  /** How a client's JWKS URL is fetched (lib/http/outbound.ts with the deployment's limits); not at all unless given. */
  fetchJwks?: (url: string) => Promise<OutboundResponse>;
  /** At most one JWKS fetch per client in this many seconds (default 60). */
  jwksRefetchSeconds?: number;
  /** Whether the process is shutting down, for /readyz (default: lib/health/draining.ts). */
  draining?: () => boolean;
  /**
   * The bound on staleness of this instance's memory of the signing keys and of the accepted
   * audiences (ROTOR_MACHINE_CACHE_SECONDS, default 60): a change another instance (or the CLI)
   * makes is seen here within this long.
   */
  cacheSeconds?: number;
}

export function createMachine(options: MachineOptions) {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? logLine("warn");
  const store = createTokenStore(options.db);
  const cacheMs = (options.cacheSeconds ?? 60) * 1000;
  const keys = createKeyCache(options.db, options.keyRing, cacheMs);
  const usage = new UsageRecorder(options.db);
  const defaultAudience = `${options.issuer}/api/v1`;
  let audiences: { at: number; list: Promise<string[]> } | null = null;
  const acceptedAudiences = () => {
    const t = now().getTime();
    if (!audiences || t - audiences.at > cacheMs) {
      audiences = {
        at: t,
        list: getPlatformSettings(options.db).then((s) => [
          defaultAudience,
          ...s.allowedAudiences,
          ...(s.apiEndpoint ? [s.apiEndpoint] : []),
        ]),
      };
    }
    return audiences.list;
  };
  const jwks = options.fetchJwks
    ? createJwksSource({ db: options.db, fetch: options.fetchJwks, log, refetchIntervalSeconds: options.jwksRefetchSeconds })
    : undefined;
  const deps = {
    jwks,
    issuer: options.issuer,
    tokenEndpoint: `${options.issuer}/oauth/token`,
    store,
    keys,
    usage,
    defaultAudience,
    now,
    log,
    guard: options.guard ?? UNGUARDED,
    addressOf: options.addressOf ?? (() => null),
    hold: options.hold,
  };
  const handlers: Record<MachinePath, FetchHandler> = {
    "/oauth/token": createTokenEndpoint(deps),
    "/oauth/introspect": createIntrospectionEndpoint({ ...deps, acceptedAudiences }),
    "/.well-known/oauth-authorization-server": async (request) => metadataResponse(request, options.issuer),
    "/.well-known/jwks.json": async (request) => {
      if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET", ALLOWED_METHODS["/.well-known/jwks.json"]);
      // Keys are published a day before they sign, so a five-minute cache never misses one.
      return jsonResponse((await keys.get(now())).jwks, 200, { "Cache-Control": "public, max-age=300" });
    },
    "/api/v1/whoami": createWhoamiEndpoint({ issuer: options.issuer, keys, store, acceptedAudiences, now, log }),
    "/healthz": healthz,
    "/readyz": createReadiness({
      ping: () => pingDatabase(options.db),
      pendingMigrations: () => pendingMigrations(options.db),
      // The key cache (60 s) answers most polls from memory; both algorithms must sign, as clients may ask for either.
      signingKeyUsable: async () => {
        const { signers } = await keys.get(now());
        return Boolean(signers.ES256 && signers.RS256);
      },
      draining: options.draining ?? isDraining,
      log,
    }),
  };
  // OPTIONS gets one answer on both mounts (RFC 9110 9.3.7): what the path allows, no body. No CORS:
  // these paths are for servers, not for scripts in other sites' pages.
  const routes = Object.fromEntries(
    MACHINE_PATHS.map((path) => [
      path,
      (request: Request) =>
        request.method === "OPTIONS"
          ? Promise.resolve(new Response(null, { status: 204, headers: { Allow: ALLOWED_METHODS[path], "Cache-Control": "no-store" } }))
          : handlers[path](request),
    ]),
  ) as Record<MachinePath, FetchHandler>;

  const timers: NodeJS.Timeout[] = [];
  if (options.background !== false) {
    usage.start();
    const upkeep = () => {
      Promise.all([sweepConsumedAssertions(options.db, now()), ensureSigningKeys(options.db, options.keyRing, now())])
        .then(() => keys.invalidate())
        .catch((error: unknown) => log(`machine upkeep failed: ${errorSummary(error)}`));
    };
    const timer = setInterval(upkeep, 10 * 60_000);
    timer.unref();
    timers.push(timer);
  }

  return {
    routes,
    usage,
    keys,
    /** The keys clients publish at a JWKS URL, shared with the Dev Tools checker (absent without a fetcher). */
    jwks,
    async stop() {
      for (const t of timers) clearInterval(t);
      await usage.stop();
    },
  };
}
export type Machine = ReturnType<typeof createMachine>;
