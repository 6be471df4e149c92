import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("the environment", () => {
  it("defaults to the embedded database in a data folder under the project", () => {
    const env = parseEnv({}, "/srv/rotor");
    expect(env.embedded).toBe(true);
    expect(env.dataDir).toBe("/srv/rotor/.data");
    expect(env.ROTOR_PUBLIC_URL).toBe("http://localhost:3000");
    expect(env.ROTOR_DEMO).toBe(false);
  });

  it("uses Postgres when DATABASE_URL is set", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://127.0.0.1/rotor" }, "/x").embedded).toBe(false);
  });

  it("fails fast naming the variable and how to fix it", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" }, "/x")).toThrow(/DATABASE_URL: must start with "postgres:\/\/"/);
    expect(() => parseEnv({ ROTOR_ENV: "prod" }, "/x")).toThrow(/ROTOR_ENV: use "development", "test" or "production" \(got "prod"\)/);
    expect(() => parseEnv({ ROTOR_DEMO: "yes" }, "/x")).toThrow(/ROTOR_DEMO/);
    expect(() => parseEnv({ ROTOR_PUBLIC_URL: "auth.example.com" }, "/x")).toThrow(/absolute http\(s\) URL/);
  });

  it("refuses production without its secrets, and never allows demo sign-in there", () => {
    const attempt = () => parseEnv({ ROTOR_ENV: "production", ROTOR_DEMO: "true" }, "/x");
    expect(attempt).toThrow(/ROTOR_DEMO: demo sign-in is never allowed in production/);
    expect(attempt).toThrow(/DATABASE_URL: is required in production/);
    expect(attempt).toThrow(/AUTH_SECRET: is required in production/);
    expect(attempt).toThrow(/ROTOR_ENCRYPTION_KEYS: is required in production/);
  });

  it("never echoes a secret value in its error", () => {
    try {
      parseEnv({ AUTH_SECRET: "short-but-secret" }, "/x");
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/AUTH_SECRET: must be at least 32 characters/);
      expect(String(error)).not.toContain("short-but-secret");
    }
  });
});
