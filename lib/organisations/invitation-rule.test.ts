import { describe, expect, it } from "vitest";
import { INVITATION_VALID_DAYS, invitationExpiresAt, invitationState, invitationsLetSignIn } from "./invitation-rule";

const sent = new Date("2026-11-01T09:00:00.000Z");
const expiry = new Date("2026-11-15T09:00:00.000Z");
const justBefore = new Date(expiry.getTime() - 1);

describe("an invitation stands for 14 days after its latest mail", () => {
  it("is 14 days", () => {
    expect(INVITATION_VALID_DAYS).toBe(14);
    expect(invitationExpiresAt(sent)).toEqual(expiry);
  });

  it("is pending until the last millisecond, expired from its expiry instant", () => {
    expect(invitationState({ lastSignedInAt: null, invitationSentAt: sent }, justBefore)).toEqual({ state: "pending", expiresAt: expiry });
    expect(invitationState({ lastSignedInAt: null, invitationSentAt: sent }, expiry)).toEqual({ state: "expired", expiredAt: expiry });
  });

  it("is no longer an invitation once the person has signed in", () => {
    expect(invitationState({ lastSignedInAt: sent, invitationSentAt: sent }, new Date("2027-01-01T00:00:00Z"))).toEqual({ state: "none" });
  });

  it("does not apply to someone added without an invitation mail", () => {
    expect(invitationState({ lastSignedInAt: null, invitationSentAt: null }, new Date("2027-01-01T00:00:00Z"))).toEqual({ state: "none" });
  });
});

describe("who may sign in, by their invitations", () => {
  it("someone who has signed in before, whatever their invitations", () => {
    expect(invitationsLetSignIn(sent, [sent], new Date("2027-01-01T00:00:00Z"))).toBe(true);
  });

  it("someone never signed in, while one invitation stands", () => {
    expect(invitationsLetSignIn(null, [sent], justBefore)).toBe(true);
    expect(invitationsLetSignIn(null, [sent], expiry)).toBe(false);
  });

  it("someone with one expired and one standing invitation (two organisations)", () => {
    expect(invitationsLetSignIn(null, [sent, new Date("2026-11-10T00:00:00Z")], expiry)).toBe(true);
  });

  it("someone added without an invitation mail", () => {
    expect(invitationsLetSignIn(null, [null], new Date("2027-01-01T00:00:00Z"))).toBe(true);
  });

  it("nobody without a membership", () => {
    expect(invitationsLetSignIn(null, [], sent)).toBe(false);
  });
});
