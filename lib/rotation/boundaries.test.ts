import { describe, expect, it } from "vitest";
import { calendarDate, formatCalendarDate, startOfDay } from "./calendar";
import {
  acceptedUntil,
  clientHealth,
  holdsAPlace,
  isKeyLive,
  isLive,
  placeHolders,
  publicKeyState,
  reminderThreshold,
  secretExpiry,
  secretState,
} from "./secret-state";

/**
 * The exact instants and days where a rule changes its answer (docs/domain.md, seed 000): a
 * secret's validity is [createdAt, expiresAt) and a revocation takes effect at its instant.
 */

const uk = { timeZone: "Europe/London", validityDays: 180, overlapDays: 30 };
const ukDay = (iso: string, hour = 12) => new Date(startOfDay(calendarDate(iso), uk.timeZone).getTime() + hour * 3_600_000);
const at = new Date("2022-03-01T12:00:00.000Z");
const ms = (n: number) => new Date(at.getTime() + n);

describe("a live secret: from its creation, until its expiry or revocation", () => {
  const secret = { createdAt: at, expiresAt: ms(3_600_000), revokedAt: null };

  it("is live from the instant it is created, not before", () => {
    expect(isLive(secret, at)).toBe(true);
    expect(isLive(secret, ms(-1))).toBe(false);
  });

  it("is live until the instant it expires, not at it", () => {
    expect(isLive(secret, ms(3_599_999))).toBe(true);
    expect(isLive(secret, ms(3_600_000))).toBe(false);
  });

  it("is live until the instant it is revoked, not at it", () => {
    const revoked = { ...secret, revokedAt: ms(600_000) };
    expect(isLive(revoked, ms(599_999))).toBe(true);
    expect(isLive(revoked, ms(600_000))).toBe(false);
  });
});

describe("a credential holding one of the client's two places (docs/domain.md)", () => {
  it("holds it until its expiry or revocation, whenever it was created", () => {
    expect(holdsAPlace({ expiresAt: ms(1), revokedAt: null }, at)).toBe(true);
    expect(holdsAPlace({ expiresAt: at, revokedAt: null }, at)).toBe(false);
    expect(holdsAPlace({ expiresAt: null, revokedAt: ms(1) }, at)).toBe(true);
    expect(holdsAPlace({ expiresAt: null, revokedAt: at }, at)).toBe(false);
    expect(holdsAPlace({ expiresAt: null, revokedAt: null }, at)).toBe(true);
  });

  it("lists the place holders oldest first, a secret created after our clock reading included", () => {
    const older = { id: "older", createdAt: ms(-2), expiresAt: ms(10), revokedAt: null };
    const revoked = { id: "revoked", createdAt: ms(-3), expiresAt: ms(10), revokedAt: ms(-1) };
    const ahead = { id: "ahead", createdAt: ms(5), expiresAt: ms(10), revokedAt: null };
    const expired = { id: "expired", createdAt: ms(-9), expiresAt: at, revokedAt: null };
    expect(placeHolders([ahead, revoked, expired, older], at).map((c) => c.id)).toEqual(["older", "ahead"]);
  });

  it("accepts a key while it holds its place: a key without expiry until it is revoked", () => {
    expect(isKeyLive({ createdAt: ms(5), expiresAt: null, revokedAt: null }, at)).toBe(true);
    expect(isKeyLive({ createdAt: ms(-5), expiresAt: null, revokedAt: at }, at)).toBe(false);
    expect(isKeyLive({ createdAt: ms(-5), expiresAt: at, revokedAt: null }, at)).toBe(false);
  });
});

describe("when a secret stops being accepted", () => {
  const secret = { createdAt: ms(-10), expiresAt: ms(1_000), revokedAt: null };

  it("is its expiry, or its revocation if that came first", () => {
    expect(acceptedUntil(secret)).toBe(secret.expiresAt);
    expect(acceptedUntil({ ...secret, revokedAt: ms(500) })).toEqual(ms(500));
    expect(acceptedUntil({ ...secret, revokedAt: ms(2_000) })).toEqual(ms(1_000));
  });
});

describe("secret and key states at their boundaries", () => {
  const created = ukDay("2022-02-19", 9);
  const secret = { createdAt: created, expiresAt: secretExpiry(created, uk).expiresAt, revokedAt: null as Date | null };

  it("a secret is revoked from the instant of its revocation; one revoked for later is not yet", () => {
    const now = ukDay("2022-03-01");
    expect(secretState({ ...secret, revokedAt: now }, [secret], now, uk)).toBe("revoked");
    expect(secretState({ ...secret, revokedAt: new Date(now.getTime() + 1) }, [secret], now, uk)).toBe("active");
  });

  it("a key is revoked from its revocation instant, expired from its expiry instant, expiring from the overlap's first day", () => {
    const expiresAt = startOfDay(calendarDate("2022-06-02"), uk.timeZone);
    const key = { createdAt: ukDay("2022-01-01"), expiresAt, revokedAt: null as Date | null };
    const now = ukDay("2022-03-01");
    expect(publicKeyState({ ...key, revokedAt: now }, now, uk)).toBe("revoked");
    expect(publicKeyState({ ...key, revokedAt: new Date(now.getTime() + 1) }, now, uk)).toBe("active");
    expect(publicKeyState(key, expiresAt, uk)).toBe("expired");
    expect(publicKeyState(key, new Date(expiresAt.getTime() - 1), uk)).toBe("expiring");
    // Expiry day 01/06/2022, so the 30-day overlap starts on 02/05/2022.
    expect(publicKeyState(key, ukDay("2022-05-02", 0), uk)).toBe("expiring");
    expect(publicKeyState(key, ukDay("2022-05-01", 23), uk)).toBe("active");
  });

  it("no reminder is due at the instant a credential expires", () => {
    expect(reminderThreshold(secret.expiresAt, secret.expiresAt, uk.timeZone, [30, 0])).toBeNull();
    expect(reminderThreshold(secret.expiresAt, new Date(secret.expiresAt.getTime() - 1), uk.timeZone, [30, 0])).toBe(0);
  });
});

describe("credential health for Home, at its boundaries", () => {
  const created = ukDay("2022-02-19", 9);
  const old = { createdAt: created, expiresAt: secretExpiry(created, uk).expiresAt, revokedAt: null, lastUsedAt: null as Date | null };
  const nextCreated = ukDay("2022-07-19", 2);
  const next = {
    createdAt: nextCreated,
    expiresAt: secretExpiry(nextCreated, uk).expiresAt,
    revokedAt: null,
    lastUsedAt: null as Date | null,
  };
  const now = ukDay("2022-08-01", 12);
  const status = (oldUsed: Date | null, nextUsed: Date | null) =>
    clientHealth(
      [
        { ...old, lastUsedAt: oldUsed },
        { ...next, lastUsedAt: nextUsed },
      ],
      now,
      uk,
    ).status;

  it("reports the days left of both secrets during the overlap", () => {
    // Expiry days 18/08/2022 and 15/01/2023.
    expect(clientHealth([old, next], now, uk)).toEqual({
      status: "new_secret_waiting",
      current: { daysLeft: 17 },
      next: { daysLeft: 167 },
    });
  });

  it("counts the new secret as adopted once it was used at or after the old one's last use", () => {
    const t = ukDay("2022-08-01", 10);
    expect(status(null, null)).toBe("new_secret_waiting");
    expect(status(t, null)).toBe("new_secret_waiting");
    expect(status(null, t)).toBe("new_secret_adopted");
    expect(status(t, t)).toBe("new_secret_adopted");
    expect(status(t, new Date(t.getTime() - 1))).toBe("new_secret_waiting");
    expect(status(new Date(t.getTime() - 1), t)).toBe("new_secret_adopted");
  });

  it("asks for a rotation from exactly the overlap's number of days left", () => {
    // Expiry day 18/08/2022: 30 days left on 19/07, 31 on 18/07.
    expect(clientHealth([old], ukDay("2022-07-19"), uk)).toEqual({ status: "rotate_soon", current: { daysLeft: 30 } });
    expect(clientHealth([old], ukDay("2022-07-18"), uk)).toEqual({ status: "ok", current: { daysLeft: 31 } });
  });
});

describe("calendar dates, at their edges", () => {
  it("refuses a year Date.UTC would read as 19xx, a month or day that rolls over", () => {
    expect(() => calendarDate("0050-01-01")).toThrow("Not a real calendar date: 0050-01-01");
    expect(() => calendarDate("2022-13-01")).toThrow("Not a real calendar date: 2022-13-01");
    expect(() => calendarDate("2023-02-29")).toThrow("Not a real calendar date: 2023-02-29");
    expect(calendarDate("2024-02-29")).toBe("2024-02-29");
  });

  it("formats dates with two-digit days and months in any locale, in UTC", () => {
    expect(formatCalendarDate(calendarDate("2022-02-09"), "en-US")).toBe("02/09/2022");
  });

  it("starts a day whose midnight happens twice at the first one (Amman, 29/10/2021: 01:00 went back to 00:00)", () => {
    // 00:00 at UTC+3, before the clocks went back to UTC+2; the second 00:00 is an hour later.
    expect(startOfDay(calendarDate("2021-10-29"), "Asia/Amman").toISOString()).toBe("2021-10-28T21:00:00.000Z");
  });

  it("starts a day far east of Greenwich (UTC+14) and far west (UTC-11) at the right instant", () => {
    expect(startOfDay(calendarDate("2024-01-15"), "Pacific/Kiritimati").toISOString()).toBe("2024-01-14T10:00:00.000Z");
    expect(startOfDay(calendarDate("2024-01-15"), "Pacific/Pago_Pago").toISOString()).toBe("2024-01-15T11:00:00.000Z");
  });
});
