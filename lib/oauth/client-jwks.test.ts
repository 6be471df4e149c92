import { describe, expect, it } from "vitest";
import {
  cacheSeconds,
  failed,
  fetched,
  JWKS_DEFAULT_CACHE_SECONDS,
  JWKS_MAX_CACHE_SECONDS,
  JWKS_MIN_CACHE_SECONDS,
  NEVER_FETCHED,
  readJwks,
  shouldFetch,
  usableKeys,
} from "./client-jwks";

const now = new Date("2026-11-29T10:00:00.000Z");
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const keyA = { kty: "RSA", kid: "a", n: "n", e: "AQAB" };
const keyB = { kty: "EC", kid: "b", crv: "P-256", x: "x", y: "y" };

describe("how long a fetched JWKS is used", () => {
  it("follows max-age within 5 minutes and a day", () => {
    expect(cacheSeconds({ "cache-control": "public, max-age=600" }, now)).toBe(600);
    expect(cacheSeconds({ "cache-control": "max-age=10" }, now)).toBe(JWKS_MIN_CACHE_SECONDS);
    expect(cacheSeconds({ "cache-control": "max-age=9999999" }, now)).toBe(JWKS_MAX_CACHE_SECONDS);
  });

  it("reads only whole directives: a longer word that starts like one is not it", () => {
    expect(cacheSeconds({ "cache-control": "no-cacheable, max-age=600" }, now)).toBe(600);
  });

  it("treats no-store and no-cache as the shortest time, not as every request", () => {
    expect(cacheSeconds({ "cache-control": "no-store" }, now)).toBe(JWKS_MIN_CACHE_SECONDS);
    expect(cacheSeconds({ "cache-control": "private, no-cache" }, now)).toBe(JWKS_MIN_CACHE_SECONDS);
  });

  it("falls back on Expires, then on an hour", () => {
    expect(cacheSeconds({ expires: later(1800).toUTCString() }, now)).toBe(1800);
    expect(cacheSeconds({ expires: "not a date" }, now)).toBe(JWKS_DEFAULT_CACHE_SECONDS);
    expect(cacheSeconds({}, now)).toBe(JWKS_DEFAULT_CACHE_SECONDS);
  });
});

describe("when to fetch", () => {
  const fresh = fetched([keyA], { "cache-control": "max-age=600" }, now);

  it("before anything was fetched", () => {
    expect(shouldFetch(NEVER_FETCHED, now, undefined)).toBe(true);
  });

  it("not for a kid that is one of several fresh keys", () => {
    const two = fetched([keyA, keyB], { "cache-control": "max-age=600" }, now);
    expect(shouldFetch(two, later(61), "b")).toBe(false);
  });

  it("not while the keys are fresh and hold the kid asked for", () => {
    expect(shouldFetch(fresh, later(599), "a")).toBe(false);
    expect(shouldFetch(fresh, later(599), undefined)).toBe(false);
  });

  it("once they are stale", () => {
    expect(shouldFetch(fresh, later(600), "a")).toBe(true);
  });

  it("as often as the deployment allows, when configured", () => {
    expect(shouldFetch(fresh, later(4), "c", 5)).toBe(false);
    expect(shouldFetch(fresh, later(5), "c", 5)).toBe(true);
  });

  it("for an unknown kid, but at most once a minute", () => {
    expect(shouldFetch(fresh, later(59), "c")).toBe(false);
    expect(shouldFetch(fresh, later(60), "c")).toBe(true);
    const triedAgain = failed(fresh, "The connection was refused.", later(60));
    expect(shouldFetch(triedAgain, later(119), "c")).toBe(false);
    expect(shouldFetch(triedAgain, later(120), "c")).toBe(true);
  });
});

describe("which keys verify an assertion", () => {
  it("the fetched ones while fresh, and for a day after while fetching fails", () => {
    const fresh = fetched([keyA, keyB], { "cache-control": "max-age=600" }, now);
    const failing = failed(fresh, "No complete answer within 5 s.", later(600));
    expect(usableKeys(failing, later(600 + 86_400 - 1))).toEqual([keyA, keyB]);
    expect(usableKeys(failing, later(600 + 86_400))).toEqual([]);
  });

  it("none before a fetch worked", () => {
    expect(usableKeys(failed(NEVER_FETCHED, "The host name does not resolve.", now), now)).toEqual([]);
  });

  it("a failure is remembered from its first occurrence, and a good fetch clears it", () => {
    const first = failed(NEVER_FETCHED, "The connection was refused.", now);
    const second = failed(first, "The host name does not resolve.", later(120));
    expect(second).toEqual({
      keys: [],
      fetchedAt: null,
      freshUntil: null,
      lastAttemptAt: later(120),
      lastError: "The host name does not resolve.",
      failingSince: now,
    });
    expect(fetched([keyA], {}, later(300))).toEqual({
      keys: [keyA],
      fetchedAt: later(300),
      freshUntil: later(300 + 3600),
      lastAttemptAt: later(300),
      lastError: null,
      failingSince: null,
    });
  });
});

describe("reading a published JWK Set", () => {
  it("reads up to ten signing keys", () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ ...keyA, kid: `k${i}` }));
    expect(readJwks(JSON.stringify({ keys: ten }))).toEqual({ keys: ten });
  });

  it("keeps the signing keys", () => {
    const body = JSON.stringify({ keys: [keyA, { ...keyB, use: "sig" }, { kty: "RSA", kid: "enc", n: "n", e: "AQAB", use: "enc" }] });
    expect(readJwks(body)).toEqual({ keys: [keyA, { ...keyB, use: "sig" }] });
  });

  it.each([
    ["not json", "The answer is not JSON."],
    ['{"keys":{}}', 'The answer is not a JWK Set: it needs a "keys" array.'],
    ["[]", 'The answer is not a JWK Set: it needs a "keys" array.'],
    ['{"keys":[1]}', "Every entry of keys must be a JWK object."],
    [JSON.stringify({ keys: [keyA, 1] }), "Every entry of keys must be a JWK object."],
    [JSON.stringify({ keys: [keyA, null] }), "Every entry of keys must be a JWK object."],
    ["null", 'The answer is not a JWK Set: it needs a "keys" array.'],
    ["42", 'The answer is not a JWK Set: it needs a "keys" array.'],
    [
      JSON.stringify({ keys: [keyA, { ...keyB, d: "secret" }] }),
      "The set contains private key material. Publish public keys only, and replace the keys that were exposed.",
    ],
    [JSON.stringify({ keys: [{ ...keyA, use: "enc" }] }), "The set has no signing key."],
    [
      JSON.stringify({ keys: Array.from({ length: 11 }, (_, i) => ({ ...keyA, kid: `k${i}` })) }),
      "The set has 11 signing keys; at most 10 are read.",
    ],
  ])("refuses %s", (body, error) => {
    expect(readJwks(body)).toEqual({ error });
  });
});
