import { describe, expect, it } from "vitest";
import { parseDayList, registerKeyInput, rotateSecretInput, rotationPolicyInput } from "./schemas";

const policy = {
  validityDays: 180,
  overlapDays: 30,
  reminderOffsets: [30, 20, 10, 5, 3, 0],
  autoIssue: true,
  secretRevealPolicy: "reveal",
};
const issues = (input: unknown) =>
  rotationPolicyInput.safeParse(input).error?.issues.map((i) => ({ path: i.path.join("."), message: i.message })) ?? [];

describe("a rotation policy (docs/domain.md: at most two live secrets)", () => {
  it("accepts seed 000's policy, and keeps reminder days once each, latest first", () => {
    expect(rotationPolicyInput.parse({ ...policy, reminderOffsets: [3, 30, 0, 30, 10] }).reminderOffsets).toEqual([30, 10, 3, 0]);
  });

  it("refuses an overlap as long as the validity", () => {
    expect(issues({ ...policy, validityDays: 30, overlapDays: 30, reminderOffsets: [] })).toEqual([
      { path: "overlapDays", message: "The overlap must be shorter than the validity period." },
    ]);
  });

  it("refuses an overlap of half the validity or more, and accepts one day less", () => {
    expect(issues({ ...policy, validityDays: 60, overlapDays: 30, reminderOffsets: [] })).toEqual([
      {
        path: "overlapDays",
        message:
          "The overlap must be shorter than half the validity period (under 30 days for 60 days' validity): otherwise the next secret would be due while two are still live.",
      },
    ]);
    expect(issues({ ...policy, validityDays: 61, overlapDays: 30, reminderOffsets: [] })).toEqual([]);
    expect(issues({ ...policy, validityDays: 61, overlapDays: 31, reminderOffsets: [] })[0]?.message).toContain(
      "(under 31 days for 61 days' validity)",
    );
  });

  it("refuses a reminder earlier than the validity period, and accepts one on its first day", () => {
    expect(issues({ ...policy, validityDays: 61, overlapDays: 30, reminderOffsets: [61] })).toEqual([]);
    expect(issues({ ...policy, validityDays: 61, overlapDays: 30, reminderOffsets: [62, 10] })).toEqual([
      { path: "reminderOffsets", message: "A reminder 62 days before expiry is longer than the validity period." },
    ]);
  });
});

describe("a key's last day", () => {
  const key = { clientId: "cl_abcdefgh", key: "-----BEGIN PUBLIC KEY-----" };

  it("is a real calendar date", () => {
    expect(registerKeyInput.parse({ ...key, expiresOn: "2028-02-29" }).expiresOn).toBe("2028-02-29");
    expect(registerKeyInput.safeParse({ ...key, expiresOn: "2027-02-29" }).error?.issues.map((i) => i.message)).toEqual([
      "That date does not exist.",
    ]);
    expect(registerKeyInput.safeParse({ ...key, expiresOn: "2027-13-01" }).error?.issues.map((i) => i.message)).toEqual([
      "That date does not exist.",
    ]);
  });
});

describe("a list of days typed in a form or on the command line", () => {
  it("is split on commas and spaces", () => {
    expect(parseDayList("30, 20 10,,5")).toEqual([30, 20, 10, 5]);
    // An emptied field would silently turn every reminder off: it is refused, saying what to type.
    expect(parseDayList("  ")).toBe(
      "Enter the days before expiry to send reminders on, separated by commas (for example 30, 20, 10, 5, 3, 0).",
    );
  });

  it("names the first entry that is not a whole number", () => {
    expect(parseDayList("30, 2.5, x")).toBe('"2.5" is not a whole number of days.');
  });
});

describe("a rotation's choice for the old secret", () => {
  it("defaults to the end of the overlap", () => {
    expect(rotateSecretInput.parse({ clientId: "abcdefgh12" })).toMatchObject({ oldSecret: "overlap", compromised: false });
  });

  it("needs the last day when the old secret is to work until a chosen day", () => {
    const parsed = rotateSecretInput.safeParse({ clientId: "abcdefgh12", oldSecret: "until" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["oldSecretLastDay", "Give the old secret's last day as YYYY-MM-DD."],
    ]);
  });

  it("refuses a day that does not exist and a choice it does not know", () => {
    expect(
      rotateSecretInput.safeParse({ clientId: "abcdefgh12", oldSecret: "until", oldSecretLastDay: "2026-02-30" }).error?.issues[0]?.message,
    ).toBe("That date does not exist.");
    expect(rotateSecretInput.safeParse({ clientId: "abcdefgh12", oldSecret: "forever" }).error?.issues[0]?.message).toBe(
      "Choose overlap, unchanged, until or revoke for the old secret.",
    );
  });
});
