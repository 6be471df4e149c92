import { describe, expect, it } from "vitest";
import {
  CLIENT_SECRET_PREFIX,
  digestSecret,
  digestsMatch,
  generateClientSecret,
  isWellFormedClientSecret,
  maskSecret,
  secretTail,
} from "./client-secret";

describe("client secrets", () => {
  it("carry a recognisable prefix so secret scanners can find a leaked one", () => {
    expect(generateClientSecret().startsWith(CLIENT_SECRET_PREFIX)).toBe(true);
  });

  it("are different every time", () => {
    const values = new Set(Array.from({ length: 200 }, generateClientSecret));
    expect(values.size).toBe(200);
  });

  it("carry a checksum that catches a one-character typo before any database look-up", () => {
    const secret = generateClientSecret();
    expect(isWellFormedClientSecret(secret)).toBe(true);
    const i = CLIENT_SECRET_PREFIX.length + 5;
    const typo = secret.slice(0, i) + (secret[i] === "a" ? "b" : "a") + secret.slice(i + 1);
    expect(isWellFormedClientSecret(typo)).toBe(false);
    expect(isWellFormedClientSecret(secret.slice(0, -1))).toBe(false);
    expect(isWellFormedClientSecret("not-a-secret")).toBe(false);
  });

  it("are stored as a SHA-256 digest compared in constant time", () => {
    const secret = generateClientSecret();
    expect(digestSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestsMatch(digestSecret(secret), digestSecret(secret))).toBe(true);
    expect(digestsMatch(digestSecret(secret), digestSecret(generateClientSecret()))).toBe(false);
    expect(digestsMatch("", "")).toBe(false);
  });

  it("are masked to their last four characters", () => {
    const secret = generateClientSecret();
    const masked = maskSecret(secretTail(secret));
    expect(masked.endsWith(secret.slice(-4))).toBe(true);
    expect(masked).not.toContain(secret.slice(0, -4));
  });
});
