import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it, vi } from "vitest";
import { authorizeCron } from "./cron-auth";
import { createCronEndpoint } from "./cron-endpoint";
import type { SchedulerDeps, SchedulerSummary } from "./run-scheduler";

const summary = { at: "x", autoIssued: 0 } as unknown as SchedulerSummary;
const theDeps = { publicUrl: "https://rotor.example" } as SchedulerDeps;
function endpoint(secret: string | undefined, options: { now?: () => Date } = {}) {
  const run = vi.fn(async (_deps: SchedulerDeps, _now: Date) => summary);
  return { run, handle: createCronEndpoint({ secret: () => secret, deps: async () => theDeps, run, ...options }) };
}
const get = (authorization?: string) =>
  new Request("https://rotor.example/api/cron/rotation", { headers: authorization ? { authorization } : {} });
const call = (method: string, authorization?: string) =>
  new Request("https://rotor.example/api/cron/rotation", { method, headers: authorization ? { authorization } : {} });

/** The whole answer: status, every header, and the parsed body. */
async function whole(res: Response) {
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.json() };
}

describe("the cron route", () => {
  it("runs the scheduler for the right bearer secret and returns its summary", async () => {
    const { run, handle } = endpoint("s3cret-value");
    const res = await handle(get("Bearer s3cret-value"));
    expect(await whole(res)).toEqual({
      status: 200,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
      body: summary,
    });
    expect(run).toHaveBeenCalledOnce();
  });

  it("accepts POST as well as GET (Vercel's cron sends GET; a hand-made trigger may POST)", async () => {
    const { run, handle } = endpoint("s3cret-value");
    const res = await handle(call("POST", "Bearer s3cret-value"));
    expect(await whole(res)).toEqual({
      status: 200,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
      body: summary,
    });
    expect(run).toHaveBeenCalledOnce();
  });

  it("hands the run its dependencies and the injected clock's instant", async () => {
    const at = new Date("2026-11-29T03:00:00.000Z");
    const { run, handle } = endpoint("s3cret-value", { now: () => at });
    await handle(get("Bearer s3cret-value"));
    expect(run.mock.calls).toEqual([[theDeps, at]]);
  });

  it("reads the current time when no clock is injected", async () => {
    const { run, handle } = endpoint("s3cret-value");
    const before = Date.now();
    await handle(get("Bearer s3cret-value"));
    const after = Date.now();
    const [[deps, now] = []] = run.mock.calls;
    expect(deps).toBe(theDeps);
    expect(now).toBeInstanceOf(Date);
    expect(now!.getTime()).toBeGreaterThanOrEqual(before);
    expect(now!.getTime()).toBeLessThanOrEqual(after);
  });

  it("refuses a missing or wrong secret without running anything, with a Bearer challenge (RFC 6750 section 3)", async () => {
    const { run, handle } = endpoint("s3cret-value");
    for (const auth of [undefined, "Bearer wrong", "Basic s3cret-value", "Bearer s3cret-valu", "Bearer s3cret-value2"]) {
      expect(await whole(await handle(get(auth))), String(auth)).toEqual({
        status: 401,
        headers: { "content-type": "application/json", "cache-control": "no-store", "www-authenticate": 'Bearer realm="cron"' },
        body: { error: "Send Authorization: Bearer <CRON_SECRET>." },
      });
    }
    expect(run).not.toHaveBeenCalled();
  });

  it("answers 405 with Allow to any method but GET and POST, before looking at the secret", async () => {
    const { run, handle } = endpoint("s3cret-value");
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
      for (const auth of [undefined, "Bearer s3cret-value"]) {
        expect(await whole(await handle(call(method, auth))), `${method} ${auth}`).toEqual({
          status: 405,
          headers: { "content-type": "application/json", "cache-control": "no-store", allow: "GET, POST" },
          body: { error: "Use GET or POST." },
        });
      }
    }
    expect(run).not.toHaveBeenCalled();
  });

  it("refuses everything when no CRON_SECRET is set (fails closed)", async () => {
    const { run, handle } = endpoint(undefined);
    const res = await handle(get("Bearer anything"));
    expect(await whole(res)).toEqual({
      status: 503,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
      body: { error: "The scheduler is disabled: set CRON_SECRET to enable this endpoint." },
    });
    expect(run).not.toHaveBeenCalled();
    expect(authorizeCron("Bearer ", "")).toBe("disabled");
  });

  it("logs a failed run by its class and SQLSTATE, never with the failed query's parameters", async () => {
    const cause = Object.assign(new Error('invalid input syntax for type uuid: "priya.admin@finvu.example"'), { code: "22P02" });
    const failure = new DrizzleQueryError("select $1::uuid", ["priya.admin@finvu.example"], cause);
    const lines: string[] = [];
    const handle = createCronEndpoint({
      secret: () => "s3cret-value",
      deps: async () => ({}) as SchedulerDeps,
      run: async () => {
        throw failure;
      },
      log: (line) => lines.push(line),
    });
    const res = await handle(get("Bearer s3cret-value"));
    expect(await whole(res)).toEqual({
      status: 500,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
      body: { error: "The run failed; every step is idempotent, so it is safe to run again." },
    });
    expect(lines).toEqual(["cron: run failed: DrizzleQueryError (code 22P02)"]);
  });

  it("still answers 500 for a failed run when no log is given", async () => {
    const handle = createCronEndpoint({
      secret: () => "s3cret-value",
      deps: async () => ({}) as SchedulerDeps,
      run: async () => {
        throw new Error("the database went away");
      },
    });
    expect(await whole(await handle(get("Bearer s3cret-value")))).toEqual({
      status: 500,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
      body: { error: "The run failed; every step is idempotent, so it is safe to run again." },
    });
  });
});
