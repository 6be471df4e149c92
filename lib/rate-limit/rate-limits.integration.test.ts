import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { raceTest } from "@/db/testing/race";
import { createTestDatabase } from "@/db/testing/test-database";
import { env, parseEnv } from "@/lib/env";
import { Limit } from "./limit";
import { buildRateLimits } from "./runtime";
import { maySendSignInLink } from "./sign-in-throttle";

/*
 * The limits of docs/security.md, "Rate limits", on a real database: what the sign-in attack did
 * (20 requests in 4 s, 20 e-mails in one inbox) now sends one, and every instance counts alike.
 */

let handle: DatabaseHandle & { url?: string };
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

describe("a limit kept in Postgres", () => {
  it("refuses the second of one-a-minute, says how long to wait, and stores no key in clear", async () => {
    const limit = new Limit("t-once", [{ points: 1, seconds: 60 }], { kind: "postgres", handle });
    expect(await limit.hit("someone@example.com")).toBe(0);
    const wait = await limit.hit("someone@example.com");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await limit.hit("someone-else@example.com")).toBe(0);
    const rows = await handle.db.select().from(rateLimits);
    expect(JSON.stringify(rows)).not.toContain("example.com");
  });

  it("once a key is over, answers it from this instance's memory until the block ends", async () => {
    const limit = new Limit("t-block", [{ points: 2, seconds: 60 }], { kind: "postgres", handle });
    expect(await limit.retryAfterMs("k")).toBe(0);
    await limit.hit("k");
    await limit.hit("k");
    expect(await limit.retryAfterMs("k")).toBe(0);
    expect(await limit.hit("k")).toBeGreaterThan(0);
    expect(await limit.retryAfterMs("k")).toBeGreaterThan(0);
  });

  raceTest("is shared by every instance: two processes' worth of connections count together", async () => {
    const other = await openDatabase({ url: handle.url!, poolMode: env().DATABASE_POOL_MODE });
    try {
      const here = new Limit("t-shared", [{ points: 3, seconds: 60 }], { kind: "postgres", handle });
      const there = new Limit("t-shared", [{ points: 3, seconds: 60 }], { kind: "postgres", handle: other });
      const results = await Promise.all([here, there, here, there, here, there].map((l) => l.hit("shared-key")));
      expect(results.filter((w) => w === 0)).toHaveLength(3);
    } finally {
      await other.close();
    }
  });
});

describe("sign-in links", () => {
  it("go to one address at most once a minute from one place, however often they are asked for", async () => {
    const limits = buildRateLimits(parseEnv({}, process.cwd()), handle, () => {});
    const asked = await Promise.all(
      Array.from({ length: 20 }, () =>
        maySendSignInLink(
          { perEmail: limits.signInPerEmail, perEmailTotal: limits.signInPerEmailTotal, perAddress: limits.signInPerAddress },
          "spoc@finvu.example",
          "203.0.113.7",
        ),
      ),
    );
    expect(asked.filter(Boolean)).toHaveLength(1);
  });

  it("from one client address are bounded across addresses too", async () => {
    const limits = buildRateLimits(parseEnv({ ROTOR_LIMIT_SIGN_IN_PER_ADDRESS: "5/600" }, process.cwd()), handle, () => {});
    const results: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      results.push(
        await maySendSignInLink(
          { perEmail: limits.signInPerEmail, perEmailTotal: limits.signInPerEmailTotal, perAddress: limits.signInPerAddress },
          `p${i}@x.example`,
          "198.51.100.9",
        ),
      );
    }
    expect(results).toEqual([true, true, true, true, true, false, false, false]);
  });
});

describe("sign-in links asked for by someone else", () => {
  it("do not use up the person's own allowance, and one inbox gets at most 20 an hour from everywhere", async () => {
    const limits = buildRateLimits(parseEnv({}, process.cwd()), handle, () => {});
    const ask = (from: string) =>
      maySendSignInLink(
        { perEmail: limits.signInPerEmail, perEmailTotal: limits.signInPerEmailTotal, perAddress: limits.signInPerAddress },
        "alice@northwind.example",
        from,
      );
    // An attacker asks from one address until refused...
    const attacker = [];
    for (let i = 0; i < 7; i++) attacker.push(await ask("203.0.113.66"));
    expect(attacker.filter(Boolean)).toHaveLength(1);
    // ...and Alice, from her own address, still gets her link.
    expect(await ask("198.51.100.20")).toBe(true);
    // Many addresses together reach the inbox's ceiling.
    const many = [];
    for (let i = 0; i < 30; i++) many.push(await ask(`192.0.2.${i}`));
    expect(many.filter(Boolean)).toHaveLength(18);
  });
});
