import { describe, expect, it } from "vitest";
import { calendarDate, startOfDay } from "./calendar";
import {
  acceptedUntil,
  autoIssueDue,
  clientHealth,
  daysLeft,
  expiryDateOf,
  oldSecretEndForChoice,
  oldSecretExpiryAfterRotation,
  overlapStartDate,
  publicKeyState,
  reminderDue,
  revokeLooksRisky,
  secretExpiry,
  secretSlots,
  secretState,
} from "./secret-state";

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

describe("auto-issue (seed 000)", () => {
  const created = ukDay("2022-02-19", 9);
  const old = { createdAt: created, expiresAt: secretExpiry(created, uk).expiresAt, revokedAt: null as Date | null };
  const policy = { ...uk, autoIssue: true };

  it("is due from the old secret's expiry day minus 30 days, 19/07/2022, not the day before", () => {
    expect(autoIssueDue([old], ukDay("2022-07-18", 23), policy)).toBe(false);
    expect(autoIssueDue([old], ukDay("2022-07-19", 0), policy)).toBe(true);
  });

  it("is not due where the organisation rotates by hand, or once a new secret exists", () => {
    expect(autoIssueDue([old], ukDay("2022-07-20"), { ...policy, autoIssue: false })).toBe(false);
    const next = { createdAt: ukDay("2022-07-19", 2), expiresAt: ukDay("2023-01-16", 0), revokedAt: null };
    expect(autoIssueDue([old, next], ukDay("2022-07-20"), policy)).toBe(false);
  });

  it("is not due for a client whose only secret has already expired", () => {
    expect(autoIssueDue([old], ukDay("2022-08-19"), policy)).toBe(false);
  });
});

describe("rotating early by hand", () => {
  it("keeps the old secret accepted for the 30-day overlap only, to the end of that day", () => {
    const created = ukDay("2022-02-19", 9);
    const { expiresAt } = secretExpiry(created, uk);
    const cut = oldSecretExpiryAfterRotation(expiresAt, ukDay("2022-04-01", 15), uk);
    expect(expiryDateOf(cut, uk.timeZone)).toBe("2022-05-01");
  });

  it("never extends the old secret past its own expiry", () => {
    const created = ukDay("2022-02-19", 9);
    const { expiresAt } = secretExpiry(created, uk);
    expect(oldSecretExpiryAfterRotation(expiresAt, ukDay("2022-08-10"), uk)).toEqual(expiresAt);
  });

  it("stops accepting a revoked secret at its revocation", () => {
    const s = { createdAt: ukDay("2022-02-19"), expiresAt: ukDay("2022-08-19", 0), revokedAt: ukDay("2022-03-01") };
    expect(acceptedUntil(s)).toEqual(s.revokedAt);
  });
});

describe("the old secret's end, as the person rotating chose it", () => {
  const { expiresAt } = secretExpiry(ukDay("2022-02-19", 9), uk); // last day 18/08/2022
  const rotatedOn = ukDay("2022-04-01", 15);

  it("keeps its expiry when asked to leave it unchanged", () => {
    expect(oldSecretEndForChoice(expiresAt, rotatedOn, uk, "unchanged")).toEqual({ ok: true, expiresAt });
  });

  it("ends it after the overlap counted from today by default", () => {
    const end = oldSecretEndForChoice(expiresAt, rotatedOn, uk, "overlap");
    expect(end.ok && expiryDateOf(end.expiresAt, uk.timeZone)).toBe("2022-05-01");
  });

  it("ends it at the end of a chosen day, in the organisation's zone", () => {
    const end = oldSecretEndForChoice(expiresAt, rotatedOn, uk, { lastDay: calendarDate("2022-06-10") });
    expect(end).toEqual({ ok: true, expiresAt: startOfDay(calendarDate("2022-06-11"), uk.timeZone) });
  });

  it("accepts today and the old secret's own last day as the chosen day", () => {
    const today = oldSecretEndForChoice(expiresAt, rotatedOn, uk, { lastDay: calendarDate("2022-04-01") });
    expect(today).toEqual({ ok: true, expiresAt: startOfDay(calendarDate("2022-04-02"), uk.timeZone) });
    expect(oldSecretEndForChoice(expiresAt, rotatedOn, uk, { lastDay: calendarDate("2022-08-18") })).toEqual({ ok: true, expiresAt });
  });

  it("refuses a day before today and a day after the old secret's last day, naming both limits", () => {
    const limits = { today: "2022-04-01", latestDay: "2022-08-18" };
    expect(oldSecretEndForChoice(expiresAt, rotatedOn, uk, { lastDay: calendarDate("2022-03-31") })).toEqual({
      ok: false,
      reason: "past",
      ...limits,
    });
    expect(oldSecretEndForChoice(expiresAt, rotatedOn, uk, { lastDay: calendarDate("2022-08-19") })).toEqual({
      ok: false,
      reason: "later",
      ...limits,
    });
  });
});

describe("revoking a secret the systems still use", () => {
  const now = ukDay("2026-03-10", 12);
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const hour = 3_600_000;

  it("looks risky when it was used in the last 24 hours and the new secret never", () => {
    expect(revokeLooksRisky({ lastUsedAt: ago(3 * 60_000) }, [{ lastUsedAt: null }], now)).toBe(true);
    expect(revokeLooksRisky({ lastUsedAt: ago(24 * hour) }, [{ lastUsedAt: null }], now)).toBe(true);
  });

  it("does not once the new secret has been used, or when the old one was last used more than a day ago, or never", () => {
    expect(revokeLooksRisky({ lastUsedAt: ago(hour) }, [{ lastUsedAt: ago(2 * hour) }], now)).toBe(false);
    expect(revokeLooksRisky({ lastUsedAt: ago(24 * hour + 1) }, [{ lastUsedAt: null }], now)).toBe(false);
    expect(revokeLooksRisky({ lastUsedAt: null }, [{ lastUsedAt: null }], now)).toBe(false);
  });
});

describe("reminder thresholds (seed 000: 30, 20, 10, 5, 3 days before, and on the day)", () => {
  const offsets = [30, 20, 10, 5, 3, 0];
  const { expiresAt } = secretExpiry(ukDay("2022-02-19", 9), uk);
  const on = (iso: string, sent: number[] = []) => reminderDue(expiresAt, ukDay(iso), uk.timeZone, offsets, sent);

  it("is due exactly on each threshold's calendar day", () => {
    expect(on("2022-07-18")).toBeNull();
    expect(on("2022-07-19")).toBe(30);
    expect(on("2022-07-29", [30])).toBe(20);
    expect(on("2022-08-08", [30, 20])).toBe(10);
    expect(on("2022-08-13", [30, 20, 10])).toBe(5);
    expect(on("2022-08-15", [30, 20, 10, 5])).toBe(3);
    expect(on("2022-08-18", [30, 20, 10, 5, 3])).toBe(0);
  });

  it("sends nothing twice, and nothing between thresholds", () => {
    expect(on("2022-07-20", [30])).toBeNull();
    expect(on("2022-08-18", [30, 20, 10, 5, 3, 0])).toBeNull();
  });

  it("after downtime sends only the most urgent reminder due, and never an older one afterwards", () => {
    expect(on("2022-08-14", [30])).toBe(5);
    expect(on("2022-08-14", [30, 5])).toBeNull();
    expect(on("2022-08-16", [30, 5])).toBe(3);
    expect(on("2022-08-17", [30, 5, 3])).toBeNull();
  });

  it("sends nothing once the secret has expired", () => {
    expect(on("2022-08-19")).toBeNull();
  });
});

describe("public key states", () => {
  it("is active without an expiry, expiring in its last 30 days, then expired; revoked once revoked", () => {
    const key = { createdAt: ukDay("2022-01-01"), expiresAt: null, revokedAt: null };
    expect(publicKeyState(key, ukDay("2030-01-01"), uk)).toBe("active");
    const expiring = { ...key, expiresAt: ukDay("2022-06-01", 0) };
    expect(publicKeyState(expiring, ukDay("2022-05-10"), uk)).toBe("expiring");
    expect(publicKeyState(expiring, ukDay("2022-06-01", 1), uk)).toBe("expired");
    expect(publicKeyState({ ...key, revokedAt: ukDay("2022-02-01") }, ukDay("2022-03-01"), uk)).toBe("revoked");
  });
});
