import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { calculateJwkThumbprint, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { signingKeys } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import {
  createKeyCache,
  ensureSigningKeys,
  INCOMPLETE_KEYS_TTL_MS,
  KEEP_PUBLISHED_AFTER_RETIREMENT_MS,
  KEY_SIGNING_LIFETIME_MS,
  loadPublishedKeys,
  PUBLISH_AHEAD_MS,
  type SigningAlg,
  SUCCESSOR_LEAD_MS,
} from "./signing-keys";

const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

describe("the platform's signing keys", () => {
  const t0 = new Date("2030-01-01T00:00:00Z");
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it("on a new deployment, makes one key per algorithm that signs at once", async () => {
    expect(await ensureSigningKeys(handle.db, keyRing, t0)).toEqual(["ES256", "RS256"]);
    const keys = await loadPublishedKeys(handle.db, keyRing, t0);
    expect(keys.signers.ES256).toBeDefined();
    expect(keys.signers.RS256).toBeDefined();
    expect(keys.jwks.keys.every((k) => !("d" in k))).toBe(true);
    expect(await ensureSigningKeys(handle.db, keyRing, at(HOUR))).toEqual([]);
  });

  it("publishes the next key at least 24 hours before it signs anything (relying parties cache the JWKS for 24 hours)", async () => {
    const nearEnd = at(KEY_SIGNING_LIFETIME_MS - 6 * DAY);
    expect(await ensureSigningKeys(handle.db, keyRing, nearEnd)).toEqual(["ES256", "RS256"]);
    const before = await loadPublishedKeys(handle.db, keyRing, nearEnd);
    const oldKid = before.signers.ES256?.kid;
    expect(before.jwks.keys.filter((k) => k.alg === "ES256")).toHaveLength(2);
    // A day later it is published but still not signing.
    const dayLater = await loadPublishedKeys(handle.db, keyRing, at(KEY_SIGNING_LIFETIME_MS - 5 * DAY));
    expect(dayLater.signers.ES256?.kid).toBe(oldKid);
    // From the old key's retirement, the new one signs.
    const after = await loadPublishedKeys(handle.db, keyRing, at(KEY_SIGNING_LIFETIME_MS + HOUR));
    expect(after.signers.ES256?.kid).not.toBe(oldKid);
    // The retired key stays published until the tokens it signed have expired, then leaves.
    expect(after.jwks.keys.some((k) => k.kid === oldKid)).toBe(true);
    const later = await loadPublishedKeys(handle.db, keyRing, at(KEY_SIGNING_LIFETIME_MS + 2 * DAY));
    expect(later.jwks.keys.some((k) => k.kid === oldKid)).toBe(false);
  });
});

describe("the successor key, to the millisecond", () => {
  const t0 = new Date("2031-06-01T00:00:00Z");
  const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
  const retire = at(t0, KEY_SIGNING_LIFETIME_MS);
  const rows = async (db: DatabaseHandle["db"], alg: SigningAlg) =>
    (
      await db
        .select({
          createdAt: signingKeys.createdAt,
          activatesAt: signingKeys.activatesAt,
          retiresAt: signingKeys.retiresAt,
          removeAfter: signingKeys.removeAfter,
        })
        .from(signingKeys)
        .where(eq(signingKeys.alg, alg))
    ).sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime());
  const life = (createdAt: Date, activatesAt: Date) => ({
    createdAt,
    activatesAt,
    retiresAt: at(activatesAt, KEY_SIGNING_LIFETIME_MS),
    removeAfter: at(activatesAt, KEY_SIGNING_LIFETIME_MS + KEEP_PUBLISHED_AFTER_RETIREMENT_MS),
  });

  it("is made once SUCCESSOR_LEAD_MS of signing are left, not a millisecond sooner, and signs from the old key's retirement", async () => {
    const own = await createTestDatabase();
    try {
      expect(await ensureSigningKeys(own.db, keyRing, t0, ["ES256"])).toEqual(["ES256"]);
      // A key that activates this very instant is the active one.
      expect(await ensureSigningKeys(own.db, keyRing, t0, ["ES256"])).toEqual([]);
      expect(await ensureSigningKeys(own.db, keyRing, at(retire, -SUCCESSOR_LEAD_MS - 1), ["ES256"])).toEqual([]);
      const lead = at(retire, -SUCCESSOR_LEAD_MS);
      expect(await ensureSigningKeys(own.db, keyRing, lead, ["ES256"])).toEqual(["ES256"]);
      expect(await ensureSigningKeys(own.db, keyRing, at(lead, HOUR), ["ES256"])).toEqual([]);
      expect(await ensureSigningKeys(own.db, keyRing, retire, ["ES256"])).toEqual([]);
      expect(await rows(own.db, "ES256")).toEqual([life(t0, t0), life(lead, retire)]);
      expect(await rows(own.db, "RS256")).toEqual([]);

      const before = await loadPublishedKeys(own.db, keyRing, at(retire, -1));
      const after = await loadPublishedKeys(own.db, keyRing, retire);
      expect(before.jwks.keys.map((k) => k.kid)).toEqual(after.jwks.keys.map((k) => k.kid));
      const [successor, first] = after.jwks.keys;
      expect([before.signers.ES256?.kid, after.signers.ES256?.kid]).toEqual([first?.kid, successor?.kid]);
    } finally {
      await own.close();
    }
  });

  it("publishes each key as a public signing JWK named by its RFC 7638 thumbprint, and signs with the matching private key", async () => {
    const own = await createTestDatabase();
    try {
      await ensureSigningKeys(own.db, keyRing, t0);
      const keys = await loadPublishedKeys(own.db, keyRing, t0);
      for (const jwk of keys.jwks.keys) {
        const { kid, alg, use, ...material } = jwk;
        expect({ kid, alg, use }).toEqual({ kid: await calculateJwkThumbprint(material, "sha256"), alg: jwk.alg, use: "sig" });
        expect(Object.keys(material).sort()).toEqual(alg === "ES256" ? ["crv", "kty", "x", "y"] : ["e", "kty", "n"]);
      }
      expect(keys.jwks.keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
      for (const alg of ["ES256", "RS256"] as const) {
        const signer = keys.signers[alg]!;
        const jwt = await new SignJWT({}).setProtectedHeader({ alg, kid: signer.kid }).sign(signer.key);
        expect((await jwtVerify(jwt, keys.verifier)).protectedHeader).toEqual({ alg, kid: signer.kid });
      }
    } finally {
      await own.close();
    }
  });

  it("made late (the deployment was down), is published PUBLISH_AHEAD_MS before it signs, and nothing signs in between", async () => {
    const own = await createTestDatabase();
    try {
      await ensureSigningKeys(own.db, keyRing, t0, ["RS256"]);
      const late = at(retire, -HOUR);
      expect(await ensureSigningKeys(own.db, keyRing, late, ["RS256"])).toEqual(["RS256"]);
      expect(await rows(own.db, "RS256")).toEqual([life(t0, t0), life(late, at(late, PUBLISH_AHEAD_MS))]);
      // From the old key's retirement to the successor's start no key signs, and none is made.
      expect((await loadPublishedKeys(own.db, keyRing, retire)).signers).toEqual({});
      expect(await ensureSigningKeys(own.db, keyRing, at(retire, HOUR), ["RS256"])).toEqual([]);
      expect((await loadPublishedKeys(own.db, keyRing, at(retire, HOUR))).signers).toEqual({});
    } finally {
      await own.close();
    }
  });
});

describe("the per-process key cache", () => {
  const t0 = new Date("2032-01-01T00:00:00Z");
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it("makes the missing keys on first use, keeps what it loaded for a minute, and loads again after it or when invalidated", async () => {
    const own = await createTestDatabase();
    try {
      await ensureSigningKeys(own.db, keyRing, t0, ["ES256"]);
      const cache = createKeyCache(own.db, keyRing);
      const first = await cache.get(t0);
      expect(Object.keys(first.signers).sort()).toEqual(["ES256", "RS256"]);
      expect(await cache.get(at(60_000))).toBe(first);
      const second = await cache.get(at(60_001));
      expect(second).not.toBe(first);
      expect(await cache.get(at(60_002))).toBe(second);
      cache.invalidate();
      expect(await cache.get(at(60_002))).not.toBe(second);
    } finally {
      await own.close();
    }
  });

  it("keeps a load that found no key signing yet for INCOMPLETE_KEYS_TTL_MS only: another instance made the first keys a moment after this request read its clock", async () => {
    const own = await createTestDatabase();
    try {
      // The other instance's keys, made (and signing) from t0 + 200 ms; this request read t0.
      await ensureSigningKeys(own.db, keyRing, at(200));
      const cache = createKeyCache(own.db, keyRing);
      const early = await cache.get(t0);
      expect(early.signers).toEqual({});
      expect(await cache.get(at(INCOMPLETE_KEYS_TTL_MS))).toBe(early);
      const later = await cache.get(at(INCOMPLETE_KEYS_TTL_MS + 1));
      expect(Object.keys(later.signers).sort()).toEqual(["ES256", "RS256"]);
      // A complete load is kept for the whole bound again.
      expect(await cache.get(at(INCOMPLETE_KEYS_TTL_MS + 60_000))).toBe(later);
      expect(await own.db.select({ kid: signingKeys.kid }).from(signingKeys)).toHaveLength(2);
    } finally {
      await own.close();
    }
  });

  it("does not keep a failed load: the next call tries again", async () => {
    const own = await createTestDatabase();
    try {
      await ensureSigningKeys(own.db, keyRing, t0);
      const wrongRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
      const cache = createKeyCache(own.db, wrongRing);
      const failed = cache.get(t0);
      await expect(failed).rejects.toThrow();
      const retried = cache.get(t0);
      expect(retried).not.toBe(failed);
      await expect(retried).rejects.toThrow();
    } finally {
      await own.close();
    }
  });
});
