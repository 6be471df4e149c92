import { describe, expect, it } from "vitest";
import { calendarDate, startOfDay } from "./calendar";
import { clientHealth, daysLeft, expiryDateOf, overlapStartDate, secretExpiry, secretSlots, secretState } from "./secret-state";

const uk = { timeZone: "Europe/London", validityDays: 180, overlapDays: 30 };
const ukDay = (iso: string, hour = 12) => new Date(startOfDay(calendarDate(iso), uk.timeZone).getTime() + hour * 3_600_000);

describe("secret validity (seed 000)", () => {
  it("expires a secret created 19/02/2022 on 18/08/2022", () => {
    expect(secretExpiry(ukDay("2022-02-19", 9), uk).expiryDate).toBe("2022-08-18");
  });

  it("issues the next secret on 19/07/2022, expiry minus 30 days, and it expires on 15/01/2023", () => {
    const old = secretExpiry(ukDay("2022-02-19", 9), uk);
    const nextCreated = overlapStartDate(old.expiresAt, uk);
    expect(nextCreated).toBe("2022-07-19");
    expect(secretExpiry(ukDay(nextCreated, 2), uk).expiryDate).toBe("2023-01-15");
  });

  it("accepts a secret until the end of its expiry day in the organisation's zone, across the clock change", () => {
    const { expiresAt } = secretExpiry(ukDay("2022-02-19", 9), uk);
    // 18/08/2022 ends at midnight BST, which is 23:00 UTC.
    expect(expiresAt.toISOString()).toBe("2022-08-18T23:00:00.000Z");
    expect(expiryDateOf(expiresAt, uk.timeZone)).toBe("2022-08-18");
  });

  it("counts the expiry day in the organisation's zone, not the server's", () => {
    const kolkata = { ...uk, timeZone: "Asia/Kolkata" };
    // 20:00 UTC on 10 March is already 11 March in Kolkata.
    expect(secretExpiry(new Date("2024-03-10T20:00:00Z"), kolkata).expiryDate).toBe("2024-09-07");
    expect(secretExpiry(new Date("2024-03-10T20:00:00Z"), uk).expiryDate).toBe("2024-09-06");
  });
});

describe("secret states", () => {
  const created = ukDay("2022-02-19", 9);
  const old = {
    createdAt: created,
    expiresAt: secretExpiry(created, uk).expiresAt,
    revokedAt: null as Date | null,
    lastUsedAt: null as Date | null,
  };
  const nextCreated = ukDay("2022-07-19", 2);
  const next = {
    createdAt: nextCreated,
    expiresAt: secretExpiry(nextCreated, uk).expiresAt,
    revokedAt: null as Date | null,
    lastUsedAt: null as Date | null,
  };

  it("is active well within validity", () => {
    expect(secretState(old, [old], ukDay("2022-05-01"), uk)).toBe("active");
  });

  it("is expiring inside the last 30 days when no new secret exists yet", () => {
    expect(secretState(old, [old], ukDay("2022-07-19"), uk)).toBe("expiring");
    expect(secretState(old, [old], ukDay("2022-07-18"), uk)).toBe("active");
  });

  it("puts both secrets in overlap while both are accepted", () => {
    const now = ukDay("2022-08-01");
    expect(secretState(old, [old, next], now, uk)).toBe("in_overlap");
    expect(secretState(next, [old, next], now, uk)).toBe("in_overlap");
  });

  it("is expired from the day after its expiry day, and revoked once revoked", () => {
    expect(secretState(old, [old, next], ukDay("2022-08-18", 23), uk)).toBe("in_overlap");
    expect(secretState(old, [old, next], ukDay("2022-08-19", 0), uk)).toBe("expired");
    const revoked = { ...old, revokedAt: ukDay("2022-08-02") };
    expect(secretState(revoked, [revoked, next], ukDay("2022-08-03"), uk)).toBe("revoked");
  });

  it("shows the older live secret as Current and the younger as New", () => {
    const { current, next: second } = secretSlots([next, old], ukDay("2022-08-01"));
    expect(current).toBe(old);
    expect(second).toBe(next);
  });

  it("counts days left in calendar days, 0 on the expiry day", () => {
    expect(daysLeft(old.expiresAt, ukDay("2022-07-19"), uk.timeZone)).toBe(30);
    expect(daysLeft(old.expiresAt, ukDay("2022-08-18", 22), uk.timeZone)).toBe(0);
  });
});

describe("credential health for Home", () => {
  const created = ukDay("2022-02-19", 9);
  const old = { createdAt: created, expiresAt: secretExpiry(created, uk).expiresAt, revokedAt: null, lastUsedAt: ukDay("2022-08-01", 10) };
  const nextCreated = ukDay("2022-07-19", 2);
  const next = {
    createdAt: nextCreated,
    expiresAt: secretExpiry(nextCreated, uk).expiresAt,
    revokedAt: null,
    lastUsedAt: null as Date | null,
  };

  it("says a new secret is waiting to be adopted while only the old one is used", () => {
    expect(clientHealth([old, next], ukDay("2022-08-01", 12), uk)).toMatchObject({
      status: "new_secret_waiting",
      current: { daysLeft: 17 },
    });
  });

  it("says the new secret is adopted once it is the one in use", () => {
    const used = { ...next, lastUsedAt: ukDay("2022-08-01", 11) };
    expect(clientHealth([old, used], ukDay("2022-08-01", 12), uk).status).toBe("new_secret_adopted");
  });

  it("asks for a rotation inside the overlap window when there is no new secret, and reports none at all", () => {
    expect(clientHealth([old], ukDay("2022-08-01"), uk).status).toBe("rotate_soon");
    expect(clientHealth([old], ukDay("2022-04-01"), uk).status).toBe("ok");
    expect(clientHealth([], ukDay("2022-04-01"), uk).status).toBe("no_secret");
  });
});
