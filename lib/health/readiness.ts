import { errorSummary } from "@/lib/error-summary";

/**
 * GET /healthz and GET /readyz, for load balancers and orchestrators (docs/operations.md):
 * - /healthz: the process is alive and its event loop turns. No database, no I/O: a liveness probe
 *   that restarted instances because Postgres is down would only make an outage worse.
 * - /readyz: this instance can serve tokens: the database answers, every migration this build ships
 *   is applied, and a signing key is usable; 503 while the process drains before shutting down.
 *   A failed check is named, never described: the reason goes to the log, once per change.
 * Both answer `Cache-Control: no-store` (RFC 9111 5.2.2.5): a cache between the balancer and us must
 * never answer for us.
 */

export type FetchHandler = (request: Request) => Promise<Response>;
export type CheckName = "database" | "migrations" | "signing_key";
export type CheckResult = "ok" | "failed" | "pending" | "skipped";

export interface ReadinessDeps {
  /** Resolves when the database answers a trivial statement. */
  ping(): Promise<void>;
  /** The migrations this build ships that the database has not applied (tags). */
  pendingMigrations(): Promise<string[]>;
  /** Whether a key to sign access tokens with is loaded and decrypts. */
  signingKeyUsable(): Promise<boolean>;
  /** True once shutdown has begun (lib/health/draining.ts). */
  draining(): boolean;
  /** A check still unanswered after this long fails, so a hung database cannot hang the probe. */
  checkTimeoutMs?: number;
  log?: (line: string) => void;
}

export const HEALTH_METHODS = "GET, HEAD, OPTIONS";
const HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store" } as const;

function answer(request: Request, status: number, body: unknown): Response {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response(JSON.stringify({ error: "invalid_request", error_description: "Use GET." }), {
      status: 405,
      headers: { ...HEADERS, Allow: HEALTH_METHODS },
    });
  }
  return new Response(request.method === "HEAD" ? null : JSON.stringify(body), { status, headers: HEADERS });
}

/** /healthz: alive. Touches nothing, so it is the same on every mount. */
export async function healthz(request: Request): Promise<Response> {
  return answer(request, 200, { status: "ok" });
}

class CheckTimeout extends Error {
  override name = "CheckTimeout";
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createReadiness(deps: ReadinessDeps): FetchHandler {
  const timeoutMs = deps.checkTimeoutMs ?? 5_000;
  const log = deps.log ?? ((line: string) => console.error(line));
  // Once every shipped migration is applied it stays so for the life of the process (migrations
  // only add), so the check costs nothing after that.
  let migrationsCurrent = false;
  let lastReported = "";

  const run = async (): Promise<{ checks: Record<CheckName, CheckResult>; reasons: string[] }> => {
    const checks: Record<CheckName, CheckResult> = { database: "skipped", migrations: "skipped", signing_key: "skipped" };
    const reasons: string[] = [];
    try {
      await within(deps.ping(), timeoutMs);
      checks.database = "ok";
    } catch (error) {
      checks.database = "failed";
      reasons.push(`database: ${errorSummary(error)}`);
      return { checks, reasons };
    }
    if (migrationsCurrent) {
      checks.migrations = "ok";
    } else {
      try {
        const pending = await within(deps.pendingMigrations(), timeoutMs);
        migrationsCurrent = pending.length === 0;
        checks.migrations = migrationsCurrent ? "ok" : "pending";
        if (!migrationsCurrent) reasons.push(`migrations: ${pending.length} not applied, the first ${pending[0]}`);
      } catch (error) {
        checks.migrations = "failed";
        reasons.push(`migrations: ${errorSummary(error)}`);
      }
    }
    try {
      const usable = await within(deps.signingKeyUsable(), timeoutMs);
      checks.signing_key = usable ? "ok" : "failed";
      if (!usable) reasons.push("signing_key: no key signs now");
    } catch (error) {
      checks.signing_key = "failed";
      reasons.push(`signing_key: ${errorSummary(error)}`);
    }
    return { checks, reasons };
  };

  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return answer(request, 405, null);
    if (deps.draining()) return answer(request, 503, { status: "draining" });
    const { checks, reasons } = await run();
    const ready = reasons.length === 0;
    // A balancer polls every second: a failure is logged when it starts or changes, not per poll.
    const report = reasons.join("; ");
    if (report !== lastReported) {
      log(ready ? "readyz: ready again" : `readyz: not ready (${report})`);
      lastReported = report;
    }
    return answer(request, ready ? 200 : 503, { status: ready ? "ready" : "not_ready", checks });
  };
}
