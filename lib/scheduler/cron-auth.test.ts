import { describe, expect, it } from "vitest";
import { authorizeCron } from "./cron-auth";

/** Vercel's cron convention, Authorization: Bearer $CRON_SECRET; fails closed. */
describe("authorizing a cron call", () => {
  it("runs nothing while no secret is configured", () => {
    expect(authorizeCron("Bearer anything", undefined)).toBe("disabled");
    expect(authorizeCron(null, "")).toBe("disabled");
  });

  it("accepts exactly Bearer and the secret", () => {
    expect(authorizeCron("Bearer s3cret", "s3cret")).toBe("ok");
  });

  it("denies a wrong secret, another scheme, a prefix before Bearer, an empty token, or no header", () => {
    expect(authorizeCron("Bearer wrong", "s3cret")).toBe("denied");
    expect(authorizeCron("Basic s3cret", "s3cret")).toBe("denied");
    expect(authorizeCron("x Bearer s3cret", "s3cret")).toBe("denied");
    expect(authorizeCron("Bearer ", "s3cret")).toBe("denied");
    expect(authorizeCron(null, "s3cret")).toBe("denied");
  });
});
