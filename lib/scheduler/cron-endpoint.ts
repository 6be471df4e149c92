import { errorSummary } from "@/lib/error-summary";
import { authorizeCron } from "./cron-auth";
import type { SchedulerDeps, SchedulerSummary } from "./run-scheduler";

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers } });

/** GET /api/cron/rotation: the scheduler run behind the cron secret, answering with its summary. */
export function createCronEndpoint(options: {
  secret: () => string | undefined;
  deps: () => Promise<SchedulerDeps>;
  run: (deps: SchedulerDeps, now: Date) => Promise<SchedulerSummary>;
  now?: () => Date;
  log?: (line: string) => void;
}) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "POST") return json({ error: "Use GET or POST." }, 405, { Allow: "GET, POST" });
    const verdict = authorizeCron(request.headers.get("authorization"), options.secret());
    if (verdict === "disabled") return json({ error: "The scheduler is disabled: set CRON_SECRET to enable this endpoint." }, 503);
    if (verdict === "denied")
      return json({ error: "Send Authorization: Bearer <CRON_SECRET>." }, 401, { "WWW-Authenticate": 'Bearer realm="cron"' });
    try {
      return json(await options.run(await options.deps(), options.now?.() ?? new Date()), 200);
    } catch (error) {
      // By class and SQLSTATE only: a failed query's message carries its parameters (e-mail addresses).
      options.log?.(`cron: run failed: ${errorSummary(error)}`);
      return json({ error: "The run failed; every step is idempotent, so it is safe to run again." }, 500);
    }
  };
}
