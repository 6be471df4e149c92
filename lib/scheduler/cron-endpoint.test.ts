import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it, vi } from "vitest";
import { authorizeCron } from "./cron-auth";
import { createCronEndpoint } from "./cron-endpoint";
import type { SchedulerDeps, SchedulerSummary } from "./run-scheduler";

const summary = { at: "x", autoIssued: 0 } as unknown as SchedulerSummary;
function endpoint(secret: string | undefined) {
  const run = vi.fn(async () => summary);
  return { run, handle: createCronEndpoint({ secret: () => secret, deps: async () => ({}) as SchedulerDeps, run }) };
}
const get = (authorization?: string) =>
  new Request("https://rotor.example/api/cron/rotation", { headers: authorization ? { authorization } : {} });

describe("the cron route", () => {
  it("runs the scheduler for the right bearer secret and returns its summary", async () => {
    const { run, handle } = endpoint("s3cret-value");
    const res = await handle(get("Bearer s3cret-value"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(summary);
    expect(run).toHaveBeenCalledOnce();
  });

  it("refuses a missing or wrong secret without running anything", async () => {
    const { run, handle } = endpoint("s3cret-value");
    for (const auth of [undefined, "Bearer wrong", "Basic s3cret-value", "Bearer s3cret-valu", "Bearer s3cret-value2"]) {
      expect((await handle(get(auth))).status, String(auth)).toBe(401);
    }
    expect(run).not.toHaveBeenCalled();
  });

  it("refuses everything when no CRON_SECRET is set (fails closed)", async () => {
    const { run, handle } = endpoint(undefined);
    const res = await handle(get("Bearer anything"));
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatch(/set CRON_SECRET/);
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
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "The run failed; every step is idempotent, so it is safe to run again." });
    expect(lines).toEqual(["cron: run failed: DrizzleQueryError (code 22P02)"]);
  });
});
