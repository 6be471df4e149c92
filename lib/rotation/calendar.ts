/**
 * Calendar days in an organisation's time zone (domain.md: "Calendar days are counted in the
 * organisation's time zone"). A CalendarDate is an ISO "YYYY-MM-DD" string: it has no time and
 * no zone, so adding days to it cannot be thrown off by a daylight-saving change.
 * Pure: every function takes its instant or date explicitly.
 */

export type CalendarDate = string & { readonly __calendarDate: unique symbol };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function calendarDate(iso: string): CalendarDate {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${iso}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
    throw new RangeError(`Not a real calendar date: ${iso}`);
  }
  return iso as CalendarDate;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** True when the zone is one Intl knows (IANA names such as Europe/London, Asia/Kolkata). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date an instant falls on in a zone. */
export function toCalendarDate(instant: Date, timeZone: string): CalendarDate {
  const w = wallClock(instant, timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}` as CalendarDate;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The first instant of a calendar day in a zone. Where a zone skips midnight (a DST change at
 * 00:00), the day starts at the first wall-clock time that exists.
 */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const localMidnightAsUtc = Date.UTC(y, m - 1, d);
  // Two passes settle the offset, including across a DST change on that day.
  let guess = localMidnightAsUtc - offsetAt(new Date(localMidnightAsUtc), timeZone);
  guess = localMidnightAsUtc - offsetAt(new Date(guess), timeZone);
  // Settle on the earliest instant of that date: step forward where midnight did not exist,
  // back where a repeated hour put an earlier instant on the same date.
  const step = 15 * 60_000;
  let t = guess;
  while (toCalendarDate(new Date(t), timeZone) < date) t += step;
  while (toCalendarDate(new Date(t - step), timeZone) === date) t -= step;
  return new Date(t);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10) as CalendarDate;
}

/** Whole calendar days from a to b (b - a); negative when b is earlier. */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  const [ay, am, ad] = a.split("-").map(Number) as [number, number, number];
  const [by, bm, bd] = b.split("-").map(Number) as [number, number, number];
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / DAY_MS);
}

const displayFormatters = new Map<string, Intl.DateTimeFormat>();

/** A calendar date in the organisation's format: en-GB gives DD/MM/YYYY (seed 000). */
export function formatCalendarDate(date: CalendarDate, locale: string): string {
  const key = locale;
  let f = displayFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "2-digit", month: "2-digit", year: "numeric" });
    displayFormatters.set(key, f);
  }
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return f.format(new Date(Date.UTC(y, m - 1, d)));
}
