import { describe, expect, it } from "vitest";
import {
  ENDED_KEY_MESSAGE,
  ENDED_SECRET_MESSAGE,
  GONE_SECRET_MESSAGE,
  keyFlags,
  LAST_LIVE_SECRET_MESSAGE,
  NOT_STORED_MESSAGE,
  SHOW_ONCE_MESSAGE,
  secretFlags,
} from "./secret-actions";

const now = new Date("2026-03-01T12:00:00Z");
const day = 86_400_000;
const secret = (createdDaysAgo: number, options: { expiresInDays?: number; revokedDaysAgo?: number; stored?: boolean } = {}) => ({
  createdAt: new Date(now.getTime() - createdDaysAgo * day),
  expiresAt: new Date(now.getTime() + (options.expiresInDays ?? 100) * day),
  revokedAt: options.revokedDaysAgo === undefined ? null : new Date(now.getTime() - options.revokedDaysAgo * day),
  hasStoredValue: options.stored ?? true,
});
const spoc = { rotate: true, reveal: true };
const admin = { rotate: false, reveal: true };
const member = { rotate: false, reveal: false };

describe("secretFlags: which buttons a secret's row has, and why not", () => {
  it("lets the designated user revoke either of two live secrets", () => {
    const old = secret(150, { expiresInDays: 30 });
    const fresh = secret(1);
    for (const s of [old, fresh]) {
      expect(secretFlags(s, [old, fresh], "reveal", spoc, now)).toMatchObject({ canRevoke: true, revokeBlockedReason: null });
    }
  });

  it("asks for the client ID to revoke a secret used in the last day while the new one never was, and only then", () => {
    const old = { ...secret(150, { expiresInDays: 30 }), id: "old", lastUsedAt: new Date(now.getTime() - 3 * 60_000) };
    const fresh = { ...secret(1), id: "new", lastUsedAt: null };
    expect(secretFlags(old, [old, fresh], "reveal", spoc, now).revokeNeedsClientId).toBe(true);
    const moved = { ...fresh, lastUsedAt: new Date(now.getTime() - 60_000) };
    expect(secretFlags(old, [old, moved], "reveal", spoc, now).revokeNeedsClientId).toBe(false);
    // Revoking the new, unused one breaks nothing.
    expect(secretFlags(fresh, [old, fresh], "reveal", spoc, now).revokeNeedsClientId).toBe(false);
    // An admin has no Revoke button, so nothing to confirm.
    expect(secretFlags(old, [old, fresh], "reveal", admin, now).revokeNeedsClientId).toBe(false);
  });

  it("never offers to revoke the client's last live secret, and says to rotate first", () => {
    const only = secret(10);
    const ended = secret(300, { expiresInDays: -120 });
    expect(secretFlags(only, [ended, only], "reveal", spoc, now)).toMatchObject({
      canRevoke: false,
      revokeBlockedReason: LAST_LIVE_SECRET_MESSAGE,
    });
  });

  it("refuses to revoke a secret that is already revoked, with that reason", () => {
    const revoked = secret(20, { revokedDaysAgo: 1 });
    const live = [secret(10), secret(5)];
    expect(secretFlags(revoked, [revoked, ...live], "reveal", spoc, now)).toMatchObject({
      canRevoke: false,
      revokeBlockedReason: ENDED_SECRET_MESSAGE,
    });
  });

  it("gives no revoke button and no reason to a role that may not change secrets", () => {
    const both = [secret(150, { expiresInDays: 30 }), secret(1)];
    expect(secretFlags(both[0]!, both, "reveal", admin, now)).toMatchObject({ canRevoke: false, revokeBlockedReason: null });
  });

  it("lets admins and the designated user reveal a live, stored secret under the reveal policy", () => {
    const s = secret(10);
    expect(secretFlags(s, [s], "reveal", admin, now)).toMatchObject({ canReveal: true, revealBlockedReason: null });
    expect(secretFlags(s, [s], "reveal", spoc, now)).toMatchObject({ canReveal: true, revealBlockedReason: null });
  });

  it("does not reveal under the show-once policy, nor a secret whose value was never stored, and says why", () => {
    const s = secret(10);
    expect(secretFlags(s, [s], "show_once", admin, now)).toMatchObject({ canReveal: false, revealBlockedReason: SHOW_ONCE_MESSAGE });
    const unstored = secret(10, { stored: false });
    expect(secretFlags(unstored, [unstored], "reveal", admin, now)).toMatchObject({
      canReveal: false,
      revealBlockedReason: NOT_STORED_MESSAGE,
    });
  });

  it("does not reveal a secret that has ended", () => {
    const expired = secret(200, { expiresInDays: -1 });
    expect(secretFlags(expired, [expired], "reveal", admin, now)).toMatchObject({
      canReveal: false,
      revealBlockedReason: GONE_SECRET_MESSAGE,
    });
  });

  it("gives a member neither button and no reasons", () => {
    const both = [secret(150, { expiresInDays: 30 }), secret(1)];
    expect(secretFlags(both[0]!, both, "reveal", member, now)).toEqual({
      canRevoke: false,
      revokeBlockedReason: null,
      revokeNeedsClientId: false,
      canReveal: false,
      revealBlockedReason: null,
    });
  });
});

describe("keyFlags", () => {
  const key = (expiresInDays: number | null, revokedDaysAgo?: number) => ({
    createdAt: new Date(now.getTime() - 10 * day),
    expiresAt: expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * day),
    revokedAt: revokedDaysAgo === undefined ? null : new Date(now.getTime() - revokedDaysAgo * day),
  });

  it("lets the designated user revoke a key still accepted, with or without an expiry", () => {
    expect(keyFlags(key(null), spoc, now)).toEqual({ canRevoke: true, revokeBlockedReason: null });
    expect(keyFlags(key(3), spoc, now)).toEqual({ canRevoke: true, revokeBlockedReason: null });
  });

  it("refuses an expired or revoked key with that reason, and gives other roles no button", () => {
    expect(keyFlags(key(-1), spoc, now)).toEqual({ canRevoke: false, revokeBlockedReason: ENDED_KEY_MESSAGE });
    expect(keyFlags(key(null, 1), spoc, now)).toEqual({ canRevoke: false, revokeBlockedReason: ENDED_KEY_MESSAGE });
    expect(keyFlags(key(null), admin, now)).toEqual({ canRevoke: false, revokeBlockedReason: null });
  });
});
