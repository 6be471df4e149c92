import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { ensureSigningKeys, KEY_SIGNING_LIFETIME_MS, loadPublishedKeys } from "./signing-keys";

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
