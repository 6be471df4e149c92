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

export function formatDateTime(at: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "short", timeStyle: "short" }).format(at);
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
