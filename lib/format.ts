import { formatCalendarDate, toCalendarDate } from "@/lib/rotation/calendar";

/** Presentation helpers shared by pages: pure, with the organisation's locale and zone passed in. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "4 minutes ago", "3 days ago"; "just now" under a minute; "never" for null. */
export function formatLastUsed(at: Date | null, now: Date, locale: string): string {
  if (!at) return "Never";
  const diff = at.getTime() - now.getTime();
  if (Math.abs(diff) < 60_000) return "Just now";
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return capitalise(rtf.format(Math.round(diff / ms), unit));
  }
  return "Just now";
}

/**
 * The one date format of every page (seed 000's DD/MM/YYYY for en-GB): the calendar day in the
 * organisation's zone with a four-digit year. Intl's "short" date style would give some locales a
 * two-digit year (en-IN: 29/11/26) beside the DD/MM/YYYY of secrets' dates.
 */
export function formatDate(at: Date, locale: string, timeZone: string): string {
  return formatCalendarDate(toCalendarDate(at, timeZone), locale);
}

/** That date, then the time of day in the locale's own style: "29/11/2026, 08:35". */
export function formatDateTime(at: Date, locale: string, timeZone: string): string {
  return `${formatDate(at, locale, timeZone)}, ${new Intl.DateTimeFormat(locale, { timeZone, timeStyle: "short" }).format(at)}`;
}

/** "in 20 days", "today", "2 days ago" for a count of calendar days left. */
export function describeDaysLeft(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  if (days > 0) return `in ${days} days`;
  return days === -1 ? "yesterday" : `${-days} days ago`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How a client's public key is named to people: "RSA 2048" or "EC P-256" (portal, API and CLI alike). */
export function describeKeyType(type: "RSA" | "EC", bits: number): string {
  return type === "EC" ? "EC P-256" : `RSA ${bits}`;
}
