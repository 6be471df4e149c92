import { describe, expect, it } from "vitest";
import { describeDaysLeft, formatLastUsed } from "./format";

describe("presentation helpers", () => {
  const now = new Date("2026-11-21T12:00:00Z");

  it("says when a credential was last used, or that it never was", () => {
    expect(formatLastUsed(null, now, "en-GB")).toBe("Never");
    expect(formatLastUsed(new Date(now.getTime() - 4 * 60_000), now, "en-GB")).toBe("4 minutes ago");
    expect(formatLastUsed(new Date(now.getTime() - 3 * 86_400_000), now, "en-GB")).toBe("3 days ago");
    expect(formatLastUsed(new Date(now.getTime() - 5_000), now, "en-GB")).toBe("Just now");
  });

  it("describes days left in words", () => {
    expect(describeDaysLeft(0)).toBe("today");
    expect(describeDaysLeft(20)).toBe("in 20 days");
    expect(describeDaysLeft(-2)).toBe("2 days ago");
  });
});
