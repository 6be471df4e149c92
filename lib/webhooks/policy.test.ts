import { describe, expect, it } from "vitest";
import { FAILING_FOR_MS, FAILURES_BEFORE_DISABLE, shouldDisable, webhookLimits } from "./policy";

describe("an endpoint that keeps failing is turned off", () => {
  const since = new Date("2026-11-01T00:00:00Z");
  const at = (ms: number) => new Date(since.getTime() + ms);

  it("after ten failures in a row that span a day, and not a moment or a failure sooner", () => {
    expect(shouldDisable({ consecutiveFailures: FAILURES_BEFORE_DISABLE, failingSince: since }, at(FAILING_FOR_MS))).toBe(true);
    expect(shouldDisable({ consecutiveFailures: FAILURES_BEFORE_DISABLE, failingSince: since }, at(FAILING_FOR_MS - 1))).toBe(false);
    expect(shouldDisable({ consecutiveFailures: FAILURES_BEFORE_DISABLE - 1, failingSince: since }, at(10 * FAILING_FOR_MS))).toBe(false);
    expect(shouldDisable({ consecutiveFailures: 500, failingSince: since }, at(FAILING_FOR_MS - 1))).toBe(false);
  });

  it("the thresholds are ten failures and 24 hours", () => {
    expect([FAILURES_BEFORE_DISABLE, FAILING_FOR_MS]).toEqual([10, 86_400_000]);
  });
});

describe("where deliveries may go", () => {
  it("in production only https to public addresses, 10 s and 4 KiB of answer, no redirects", () => {
    expect(webhookLimits({ ROTOR_ENV: "production" })).toEqual({
      allowPrivateAddresses: false,
      allowHttp: false,
      timeoutMs: 10_000,
      maxBytes: 4096,
      maxRedirects: 0,
    });
  });

  it("elsewhere also a plain-http receiver on localhost", () => {
    for (const ROTOR_ENV of ["development", "test"] as const) {
      expect(webhookLimits({ ROTOR_ENV })).toEqual(expect.objectContaining({ allowPrivateAddresses: true, allowHttp: true }));
    }
  });
});
