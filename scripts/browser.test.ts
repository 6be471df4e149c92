import { describe, expect, it } from "vitest";
import { chromiumExecutable, missingBrowserAdvice } from "./browser.mjs";

describe("the Chromium the browser tests drive", () => {
  it("is the one ROTOR_CHROMIUM names, before any system or Playwright browser", () => {
    expect(chromiumExecutable({ ROTOR_CHROMIUM: "/opt/chromium/chrome" })).toBe("/opt/chromium/chrome");
  });

  it("says how to fix a ROTOR_CHROMIUM that points nowhere, naming the path", () => {
    expect(missingBrowserAdvice({ ROTOR_CHROMIUM: "/nowhere/chromium" })).toBe(
      "ROTOR_CHROMIUM names /nowhere/chromium, which does not exist; fix the path or unset it.",
    );
  });

  it("needs no advice when the chosen browser exists", () => {
    expect(missingBrowserAdvice({ ROTOR_CHROMIUM: process.execPath })).toBeNull();
  });
});
