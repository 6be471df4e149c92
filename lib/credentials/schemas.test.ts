import { describe, expect, it } from "vitest";
import { parseDayList, rotateSecretInput } from "./schemas";

describe("the reminder days typed into the policy form", () => {
  it("reads whole numbers separated by commas or spaces", () => {
    expect(parseDayList("30, 20 10,5 3 0")).toEqual([30, 20, 10, 5, 3, 0]);
  });

  it("refuses an empty field instead of silently turning every reminder off", () => {
    expect(parseDayList("  ")).toBe(
      "Enter the days before expiry to send reminders on, separated by commas (for example 30, 20, 10, 5, 3, 0).",
    );
  });

  it("names the part that is not a whole number", () => {
    expect(parseDayList("30, 2.5")).toBe('"2.5" is not a whole number of days.');
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
