import { describe, expect, it } from "vitest";
import { calendarDate, formatCalendarDate } from "@/lib/rotation/calendar";
import { describeDaysLeft, formatDate, formatDateTime, formatLastUsed } from "./format";

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

  it("writes every date as DD/MM/YYYY with a four-digit year, in the organisation's zone, whatever the locale", () => {
    const at = new Date("2026-11-29T20:05:00Z");
    expect(formatDate(at, "en-GB", "Europe/London")).toBe("29/11/2026");
    // Past midnight in Kolkata: the next calendar day there.
    expect(formatDate(at, "en-IN", "Asia/Kolkata")).toBe("30/11/2026");
    expect(formatDateTime(at, "en-GB", "Europe/London")).toBe("29/11/2026, 20:05");
    expect(formatDateTime(at, "en-IN", "Asia/Kolkata")).toBe("30/11/2026, 1:35 am");
  });

  it("gives a date and a date with time the same date, as the secrets' calendar dates have it", () => {
    const at = new Date("2026-02-19T09:30:00Z");
    expect(formatDateTime(at, "en-IN", "Asia/Kolkata").startsWith(formatCalendarDate(calendarDate("2026-02-19"), "en-IN"))).toBe(true);
    expect(formatDateTime(at, "en-GB", "Europe/London").startsWith(formatCalendarDate(calendarDate("2026-02-19"), "en-GB"))).toBe(true);
  });
});
