import { describe, expect, it } from "vitest";
import { describeStepUpWindow, reauthenticatePathFor, signInIsRecent } from "./step-up";

const signIn = new Date("2026-11-29T09:00:00.000Z");
const at = (iso: string) => new Date(iso);

describe("a dangerous action needs a sign-in within the window", () => {
  it("allows it just after signing in", () => {
    expect(signInIsRecent(signIn, signIn, 10)).toBe(true);
  });

  it("allows it at the window's last millisecond", () => {
    expect(signInIsRecent(signIn, at("2026-11-29T09:10:00.000Z"), 10)).toBe(true);
  });

  it("asks for a new sign-in one millisecond later", () => {
    expect(signInIsRecent(signIn, at("2026-11-29T09:10:00.001Z"), 10)).toBe(false);
  });

  it("measures the window in minutes as configured", () => {
    expect(signInIsRecent(signIn, at("2026-11-29T09:30:00.000Z"), 30)).toBe(true);
    expect(signInIsRecent(signIn, at("2026-11-29T09:30:00.001Z"), 30)).toBe(false);
    expect(signInIsRecent(signIn, at("2026-11-29T09:01:00.001Z"), 1)).toBe(false);
  });

  it("treats a sign-in slightly ahead of this instance's clock as recent", () => {
    expect(signInIsRecent(signIn, at("2026-11-29T08:59:59.000Z"), 10)).toBe(true);
  });

  it("asks for a sign-in when the session's sign-in time is unknown", () => {
    expect(signInIsRecent(null, signIn, 10)).toBe(false);
  });
});

describe("the way back after confirming who you are", () => {
  const publicUrl = "https://rotor.example";

  it("returns to the page the action was on", () => {
    expect(reauthenticatePathFor("/orgs/northwind/manage/api", publicUrl)).toBe("/signin?reauth=1&next=%2Forgs%2Fnorthwind%2Fmanage%2Fapi");
  });

  it("never returns to another origin (lib/auth/return-to.ts)", () => {
    expect(reauthenticatePathFor("//evil.example/orgs", publicUrl)).toBe("/signin?reauth=1");
    expect(reauthenticatePathFor("https://evil.example/orgs/x", publicUrl)).toBe("/signin?reauth=1");
  });
});

describe("the window in words", () => {
  it("says minutes, or one minute", () => {
    expect(describeStepUpWindow(10)).toBe("the last 10 minutes");
    expect(describeStepUpWindow(1)).toBe("the last minute");
  });
});
