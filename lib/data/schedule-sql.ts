import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * The calendar rules of lib/rotation (docs/domain.md, "Client secrets" and "Expiry reminders") as
 * SQL, for the scheduler's set-based statements. Each fragment mirrors one TypeScript function,
 * named beside it, and lib/data/schedule-sql.integration.test.ts proves the pairs equal on
 * generated policies, zones and instants: a one-day slip on either side fails there in seconds.
 *
 * Arguments are SQL (columns of a table, an alias or a CTE, or parameters); instants are
 * timestamptz, zones IANA names, offsets integer arrays.
 */

type Ref = AnyColumn | SQL;

/** toCalendarDate(instant, zone): the calendar day an instant falls on in a zone. */
export function calendarDay(instant: Ref, zone: Ref): SQL {
  return sql`((${instant}) at time zone ${zone})::date`;
}

/** expiryDateOf(expiresAt, zone): the day of a credential's last accepted instant. */
export function expiryDay(expiresAt: Ref, zone: Ref): SQL {
  return sql`(((${expiresAt}) - interval '1 millisecond') at time zone ${zone})::date`;
}

/** daysLeft(expiresAt, now, zone): calendar days from today to the expiry day, 0 on the day itself. */
export function daysLeft(expiresAt: Ref, now: Ref, zone: Ref): SQL {
  return sql`(${expiryDay(expiresAt, zone)} - ${calendarDay(now, zone)})`;
}

/** Whether today is on or after overlapStartDate(expiresAt, policy): the auto-issue day (autoIssueDue). */
export function autoIssueDayReached(expiresAt: Ref, now: Ref, zone: Ref, overlapDays: Ref): SQL {
  return sql`(${expiryDay(expiresAt, zone)} - (${overlapDays}) <= ${calendarDay(now, zone)})`;
}

/** reminderThreshold(expiresAt, now, zone, offsets): the most urgent offset due, or null. */
export function reminderThreshold(expiresAt: Ref, now: Ref, zone: Ref, offsets: Ref): SQL {
  // The days left are worked out once, not once per offset (OFFSET 0 keeps the planner from
  // folding them back into the filter): two zone conversions per offset were most of the
  // reminder statement's cost (docs/scheduler-performance.md).
  return sql`(case when (${now}) >= (${expiresAt}) then null
    else (select min(t) from (select ${daysLeft(expiresAt, now, zone)} as days_left offset 0) d, unnest(${offsets}) as t
          where t >= d.days_left) end)`;
}

/**
 * The last instant a credential may expire at and still have a reminder due at `now`, in any zone,
 * when no offset exceeds maxOffsetDays: reminderThreshold is null for every later expiry (daysLeft
 * would exceed every offset). It lets the scheduler read only the credentials expiring soon, by
 * index, never the whole table; two days' margin covers the zone's offset from UTC and a calendar
 * day longer than 24 hours. Proved a bound on generated cases beside reminderThreshold.
 */
export function reminderWindowEnd(now: Ref, maxOffsetDays: Ref): SQL {
  return sql`((${now}) + ((${maxOffsetDays}) + 2) * interval '1 day')`;
}
