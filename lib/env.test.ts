import { randomBytes } from "node:crypto";
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

  it("drains 5 s before shutting down on Postgres, 0 s on the embedded database, and bounds the whole shutdown at 15 s", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://127.0.0.1/rotor" }, "/x")).toMatchObject({
      ROTOR_SHUTDOWN_DRAIN_SECONDS: 5,
      ROTOR_SHUTDOWN_TIMEOUT_SECONDS: 15,
    });
    expect(parseEnv({}, "/x").ROTOR_SHUTDOWN_DRAIN_SECONDS).toBe(0);
    expect(parseEnv({ ROTOR_SHUTDOWN_DRAIN_SECONDS: "2" }, "/x").ROTOR_SHUTDOWN_DRAIN_SECONDS).toBe(2);
  });

  it("refuses a shutdown timeout no longer than the drain delay, which would leave in-flight requests no time", () => {
    expect(() => parseEnv({ ROTOR_SHUTDOWN_DRAIN_SECONDS: "15" }, "/x")).toThrow(
      /ROTOR_SHUTDOWN_TIMEOUT_SECONDS: must be longer than the drain delay \(ROTOR_SHUTDOWN_DRAIN_SECONDS, 15 s\)/,
    );
    expect(parseEnv({ ROTOR_SHUTDOWN_DRAIN_SECONDS: "14" }, "/x").ROTOR_SHUTDOWN_TIMEOUT_SECONDS).toBe(15);
    expect(() => parseEnv({ ROTOR_SHUTDOWN_DRAIN_SECONDS: "-1" }, "/x")).toThrow(/ROTOR_SHUTDOWN_DRAIN_SECONDS: must be 0 or more/);
  });

  it("bounds how stale an instance's cached signing keys and audiences may be: a minute unless set, 1 to 3600 seconds", () => {
    expect(parseEnv({}, "/x").ROTOR_MACHINE_CACHE_SECONDS).toBe(60);
    expect(parseEnv({ ROTOR_MACHINE_CACHE_SECONDS: "2" }, "/x").ROTOR_MACHINE_CACHE_SECONDS).toBe(2);
    expect(parseEnv({ ROTOR_MACHINE_CACHE_SECONDS: "3600" }, "/x").ROTOR_MACHINE_CACHE_SECONDS).toBe(3600);
    expect(() => parseEnv({ ROTOR_MACHINE_CACHE_SECONDS: "0" }, "/x")).toThrow(/ROTOR_MACHINE_CACHE_SECONDS: must be at least 1 second/);
    expect(() => parseEnv({ ROTOR_MACHINE_CACHE_SECONDS: "3601" }, "/x")).toThrow(
      /ROTOR_MACHINE_CACHE_SECONDS: must be at most 3600 seconds/,
    );
    expect(() => parseEnv({ ROTOR_MACHINE_CACHE_SECONDS: "1.5" }, "/x")).toThrow(/must be a whole number of seconds/);
  });

  it("lets a scheduler run deliver mail for 50 seconds, 8 at once, unless told otherwise", () => {
    expect(parseEnv({}, "/x")).toMatchObject({ ROTOR_MAIL_BUDGET_SECONDS: 50, ROTOR_MAIL_CONCURRENCY: 8 });
    expect(parseEnv({ ROTOR_MAIL_BUDGET_SECONDS: "240", ROTOR_MAIL_CONCURRENCY: "16" }, "/x")).toMatchObject({
      ROTOR_MAIL_BUDGET_SECONDS: 240,
      ROTOR_MAIL_CONCURRENCY: 16,
    });
    expect(() => parseEnv({ ROTOR_MAIL_CONCURRENCY: "0" }, "/x")).toThrow(/ROTOR_MAIL_CONCURRENCY: must be at least 1/);
    expect(() => parseEnv({ ROTOR_MAIL_BUDGET_SECONDS: "1.5" }, "/x")).toThrow(
      /ROTOR_MAIL_BUDGET_SECONDS: must be a whole number of seconds/,
    );
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

  it("checks the encryption key ring's format, naming the entry and how to fix it, never the key", () => {
    const ring = `k2026:${randomBytes(32).toString("base64")},k2025:${randomBytes(32).toString("base64")}`;
    expect(parseEnv({ ROTOR_ENCRYPTION_KEYS: ring }, "/x").ROTOR_ENCRYPTION_KEYS).toBe(ring);
    const messageFor = (value: string) => {
      try {
        parseEnv({ ROTOR_ENCRYPTION_KEYS: value }, "/x");
      } catch (error) {
        return String(error);
      }
      throw new Error(`accepted ${value}`);
    };
    const short = randomBytes(16).toString("base64");
    const shortMessage = messageFor(`k2026:${short}`);
    expect(shortMessage).toMatch(/ROTOR_ENCRYPTION_KEYS: key "k2026" must be 32 bytes in base64 \(try: openssl rand -base64 32\)/);
    expect(shortMessage).not.toContain(short);
    const bare = randomBytes(32).toString("base64");
    const bareMessage = messageFor(bare);
    expect(bareMessage).toMatch(/ROTOR_ENCRYPTION_KEYS: entry 1 must be kid:base64key/);
    expect(bareMessage).not.toContain(bare);
    expect(messageFor(`${ring},k2026:${randomBytes(32).toString("base64")}`)).toMatch(/ROTOR_ENCRYPTION_KEYS: names a key id twice/);
    expect(messageFor(" , ")).toMatch(/ROTOR_ENCRYPTION_KEYS: has no key/);
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

  it("takes the public URL as an origin only, and refuses one with a path, query or credentials", () => {
    expect(parseEnv({ ROTOR_PUBLIC_URL: "https://auth.example.com/" }, "/x").ROTOR_PUBLIC_URL).toBe("https://auth.example.com");
    expect(() => parseEnv({ ROTOR_PUBLIC_URL: "https://auth.example.com/rotor" }, "/x")).toThrow(
      /ROTOR_PUBLIC_URL: must be the origin only/,
    );
    expect(() => parseEnv({ ROTOR_PUBLIC_URL: "https://u:p@auth.example.com" }, "/x")).toThrow(/must be the origin only/);
  });

  it("requires an https public URL in production, and never defaults it to localhost there", () => {
    const production = {
      ROTOR_ENV: "production",
      DATABASE_URL: "postgres://db/rotor",
      AUTH_SECRET: "x".repeat(32),
      ROTOR_ENCRYPTION_KEYS: `k:${Buffer.alloc(32, 1).toString("base64")}`,
    };
    expect(() => parseEnv(production, "/x")).toThrow(/ROTOR_PUBLIC_URL: is required in production/);
    expect(() => parseEnv({ ...production, ROTOR_PUBLIC_URL: "http://auth.example.com" }, "/x")).toThrow(
      /ROTOR_PUBLIC_URL: must be an https:\/\/ origin in production/,
    );
  });

  it("takes trusted proxies as CIDR blocks and names a bad one", () => {
    expect(parseEnv({ ROTOR_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1, ::1/128" }, "/x").ROTOR_TRUSTED_PROXIES).toBe(
      "10.0.0.0/8, 127.0.0.1, ::1/128",
    );
    expect(() => parseEnv({ ROTOR_TRUSTED_PROXIES: "10.0.0.0/33" }, "/x")).toThrow(
      /ROTOR_TRUSTED_PROXIES: "10.0.0.0\/33" is not a CIDR block/,
    );
    expect(() => parseEnv({ ROTOR_TRUSTED_PROXIES: "loadbalancer" }, "/x")).toThrow(/is not a CIDR block/);
  });

  it("takes the log level from ROTOR_LOG_LEVEL, info by default, and names a bad one", () => {
    expect(parseEnv({}, "/x").ROTOR_LOG_LEVEL).toBe("info");
    expect(parseEnv({ ROTOR_LOG_LEVEL: "debug" }, "/x").ROTOR_LOG_LEVEL).toBe("debug");
    expect(() => parseEnv({ ROTOR_LOG_LEVEL: "verbose" }, "/x")).toThrow(/ROTOR_LOG_LEVEL: use "fatal", .* \(got "verbose"\)/);
  });

  it("takes a metrics token of at least 32 characters, unset by default, and never echoes a bad one", () => {
    expect(parseEnv({}, "/x").ROTOR_METRICS_TOKEN).toBeUndefined();
    const token = randomBytes(24).toString("base64url");
    expect(parseEnv({ ROTOR_METRICS_TOKEN: token }, "/x").ROTOR_METRICS_TOKEN).toBe(token);
    try {
      parseEnv({ ROTOR_METRICS_TOKEN: "too-short-token" }, "/x");
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/ROTOR_METRICS_TOKEN: must be 32 to 256 visible ASCII characters/);
      expect(String(error)).not.toContain("too-short-token");
    }
  });
});
