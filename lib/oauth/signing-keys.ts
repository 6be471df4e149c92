import { createPrivateKey, type KeyObject, randomUUID } from "node:crypto";
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from "jose";
import type { Database, Executor } from "@/db/client";
import { decrypt, encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { signingKeyCipherContext } from "@/lib/data/cipher-contexts";
import { insertSigningKey, publishedKeys, unretiredKeys, withSigningKeyLock } from "@/lib/data/signing-keys";

/**
 * The platform's own access-token signing keys. A key is published in the JWKS from creation,
 * signs only from activates_at, at least 24 hours later (relying parties cache JWKS for 24 hours,
 * seed 003), stops signing at retires_at, and stays published until every token it signed has
 * expired. Only the very first key of a deployment signs at once: nobody can have cached a JWKS
 * before there was one.
 */

export type SigningAlg = "ES256" | "RS256";
const DAY = 86_400_000;
export const KEY_SIGNING_LIFETIME_MS = 90 * DAY;
export const PUBLISH_AHEAD_MS = 25 * 3_600_000;
export const SUCCESSOR_LEAD_MS = 7 * DAY;
/** Longest access-token lifetime (oauth_client check constraint) plus a margin. */
export const KEEP_PUBLISHED_AFTER_RETIREMENT_MS = DAY + 3_600_000;

async function createKey(db: Executor, keyRing: KeyRing, alg: SigningAlg, activatesAt: Date, now: Date) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "RS256" ? { modulusLength: 2048 } : {}) });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, "sha256");
  const id = randomUUID();
  const sealed = encrypt(JSON.stringify(await exportJWK(privateKey)), keyRing, signingKeyCipherContext(id));
  const retiresAt = new Date(activatesAt.getTime() + KEY_SIGNING_LIFETIME_MS);
  await insertSigningKey(db, {
    id,
    kid,
    alg,
    publicJwk: { ...publicJwk, kid, alg, use: "sig" },
    privateCiphertext: sealed.ciphertext,
    encryptionKeyId: sealed.keyId,
    createdAt: now,
    activatesAt,
    retiresAt,
    removeAfter: new Date(retiresAt.getTime() + KEEP_PUBLISHED_AFTER_RETIREMENT_MS),
  });
}

/**
 * Makes sure each algorithm has a key signing now and, in the last week of its life, a successor
 * already published. Idempotent; safe to run from every instance and from the cron.
 */
export async function ensureSigningKeys(db: Database, keyRing: KeyRing, now: Date, algs: readonly SigningAlg[] = ["ES256", "RS256"]) {
  return withSigningKeyLock(db, async (tx) => {
    const created: string[] = [];
    for (const alg of algs) {
      const keys = await unretiredKeys(tx, alg, now);
      const active = keys.find((k) => k.activatesAt <= now);
      const successor = keys.find((k) => k.activatesAt > now);
      if (!active && !successor) {
        await createKey(tx, keyRing, alg, now, now);
        created.push(alg);
      } else if (active && !successor && active.retiresAt.getTime() - now.getTime() <= SUCCESSOR_LEAD_MS) {
        const activatesAt = new Date(Math.max(active.retiresAt.getTime(), now.getTime() + PUBLISH_AHEAD_MS));
        await createKey(tx, keyRing, alg, activatesAt, now);
        created.push(alg);
      }
    }
    return created;
  });
}

export interface PublishedKeys {
  jwks: { keys: JWK[] };
  /** The key each algorithm signs with now, if any. */
  signers: Partial<Record<SigningAlg, { kid: string; key: KeyObject }>>;
  /** The published keys as a jose key set, built once per load, for verifying our own tokens. */
  verifier: ReturnType<typeof createLocalJWKSet>;
}

export async function loadPublishedKeys(db: Database, keyRing: KeyRing, now: Date): Promise<PublishedKeys> {
  const rows = await publishedKeys(db, now);
  const signers: PublishedKeys["signers"] = {};
  for (const row of rows) {
    if (signers[row.alg] || row.activatesAt > now || row.retiresAt <= now) continue;
    const jwk = JSON.parse(decrypt(row.privateCiphertext, row.encryptionKeyId, keyRing, signingKeyCipherContext(row.id)));
    signers[row.alg] = { kid: row.kid, key: createPrivateKey({ key: jwk, format: "jwk" }) };
  }
  const jwks = { keys: rows.map((r) => r.publicJwk as JWK) };
  return { jwks, signers, verifier: createLocalJWKSet(jwks) };
}

/**
 * How long a load that found an algorithm without a signing key is kept. Instances starting
 * together each read their clock, then wait for the signing-key lock while one of them makes the
 * first keys "a moment later" than the others' clocks: those see no key signing yet at their
 * instant. Kept for the whole bound, that view would refuse every token for a minute (seen as two
 * of three instances answering 503 in bench:rolling); kept this briefly, the next request looks
 * again with its own later clock.
 */
export const INCOMPLETE_KEYS_TTL_MS = 1_000;

/**
 * Published keys cached per process for a short while (ROTOR_MACHINE_CACHE_SECONDS): they change
 * at most daily and are always published a day ahead, so a minute's staleness is harmless. If no
 * key signs yet (a new deployment), one is made.
 */
export function createKeyCache(db: Database, keyRing: KeyRing, ttlMs = 60_000) {
  let cached: { at: number; ttl: number; keys: Promise<PublishedKeys> } | null = null;
  const load = async (now: Date) => {
    let keys = await loadPublishedKeys(db, keyRing, now);
    if (!keys.signers.ES256 || !keys.signers.RS256) {
      await ensureSigningKeys(db, keyRing, now);
      keys = await loadPublishedKeys(db, keyRing, now);
    }
    return keys;
  };
  return {
    get(now: Date): Promise<PublishedKeys> {
      if (!cached || now.getTime() - cached.at > cached.ttl) {
        const keys = load(now);
        const entry = { at: now.getTime(), ttl: ttlMs, keys };
        cached = entry;
        keys.then(
          (k) => {
            if (!k.signers.ES256 || !k.signers.RS256) entry.ttl = Math.min(ttlMs, INCOMPLETE_KEYS_TTL_MS);
          },
          () => {
            if (cached === entry) cached = null;
          },
        );
      }
      return cached.keys;
    },
    invalidate() {
      cached = null;
    },
  };
}
export type KeyCache = ReturnType<typeof createKeyCache>;
