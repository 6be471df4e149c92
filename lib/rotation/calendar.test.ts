import { describe, expect, it } from "vitest";
import { addDays, calendarDate, daysBetween, formatCalendarDate, isValidTimeZone, startOfDay, toCalendarDate } from "./calendar";

describe("calendar days in an organisation's time zone", () => {
  it("puts one instant on different calendar days in London and Kolkata", () => {
    const instant = new Date("2024-03-10T20:00:00Z");
    expect(toCalendarDate(instant, "Europe/London")).toBe("2024-03-10");
    expect(toCalendarDate(instant, "Asia/Kolkata")).toBe("2024-03-11");
  });

  it("starts a London day at 00:00 GMT in winter and 23:00 UTC the evening before in summer", () => {
    expect(startOfDay(calendarDate("2022-02-19"), "Europe/London").toISOString()).toBe("2022-02-19T00:00:00.000Z");
    expect(startOfDay(calendarDate("2022-08-19"), "Europe/London").toISOString()).toBe("2022-08-18T23:00:00.000Z");
  });

  it("starts a Kolkata day at 18:30 UTC the evening before", () => {
    expect(startOfDay(calendarDate("2024-10-15"), "Asia/Kolkata").toISOString()).toBe("2024-10-14T18:30:00.000Z");
  });

  it("handles the days of the daylight-saving changes, which are 23 and 25 hours long", () => {
    const london = "Europe/London";
    const springStart = startOfDay(calendarDate("2024-03-31"), london);
    const springNext = startOfDay(calendarDate("2024-04-01"), london);
    expect((springNext.getTime() - springStart.getTime()) / 3_600_000).toBe(23);
    const autumnStart = startOfDay(calendarDate("2024-10-27"), london);
    const autumnNext = startOfDay(calendarDate("2024-10-28"), london);
    expect((autumnNext.getTime() - autumnStart.getTime()) / 3_600_000).toBe(25);
  });

  it("finds the first instant of a day whose midnight does not exist (Santiago skips 00:00)", () => {
    const start = startOfDay(calendarDate("2024-09-08"), "America/Santiago");
    expect(toCalendarDate(start, "America/Santiago")).toBe("2024-09-08");
    expect(toCalendarDate(new Date(start.getTime() - 1), "America/Santiago")).toBe("2024-09-07");
  });

  it("adds calendar days across month, year and leap-day boundaries", () => {
    expect(addDays(calendarDate("2022-02-19"), 180)).toBe("2022-08-18");
    expect(addDays(calendarDate("2022-07-19"), 180)).toBe("2023-01-15");
    expect(addDays(calendarDate("2024-02-28"), 1)).toBe("2024-02-29");
    expect(addDays(calendarDate("2024-01-01"), -1)).toBe("2023-12-31");
  });

  it("counts whole days between dates, negative when the second is earlier", () => {
    expect(daysBetween(calendarDate("2022-07-19"), calendarDate("2022-08-18"))).toBe(30);
    expect(daysBetween(calendarDate("2022-08-18"), calendarDate("2022-07-19"))).toBe(-30);
  });

  it("formats dates as DD/MM/YYYY for en-GB (seed 000)", () => {
    expect(formatCalendarDate(calendarDate("2022-08-18"), "en-GB")).toBe("18/08/2022");
  });

  it("refuses strings that are not real dates", () => {
    expect(() => calendarDate("2022-02-30")).toThrow(/real calendar date/);
    expect(() => calendarDate("18/08/2022")).toThrow(/YYYY-MM-DD/);
  });

  it("knows IANA zones from made-up ones", () => {
    expect(isValidTimeZone("Asia/Kolkata")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
