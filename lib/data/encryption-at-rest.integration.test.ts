import { randomBytes, randomUUID } from "node:crypto";
import { eq, notLike, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientSecrets, idempotencyRecords, personalApiTokens, sessions, signingKeys, users } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { decrypt, isLegacyCiphertext, parseKeyRing } from "@/lib/crypto/encryption";
import { legacyEncrypt } from "@/lib/crypto/testing";
import { DomainError } from "@/lib/errors";
import { withIdempotency } from "@/lib/management-api/idempotency";
import { ensureSigningKeys, loadPublishedKeys } from "@/lib/oauth/signing-keys";
import { cliContext, provisionClient } from "@/lib/oauth/testing";
import { signingKeyCipherContext } from "./cipher-contexts";
import { runDataMigrations } from "./data-migrations";
import { findOrganisationBySlug, type OrganisationDto } from "./organisations";
import { reencryptLegacyCiphertexts } from "./reencrypt";
import { createSession, sessionTokenDigest } from "./sessions";

/*
 * Encryption at rest, bound to where each value is stored (lib/crypto/encryption.ts), and the data
 * migration that brings values written before that binding up to date (lib/data/reencrypt.ts).
 */
const keyRing = parseKeyRing(`k1:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;
let northwind: OrganisationDto;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now: new Date(), keyRing });
  northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
});
afterAll(async () => handle?.close());

const ctx = () => cliContext(handle.db, northwind, keyRing);
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

async function storedSecret(id: string) {
  const [row] = await handle.db.select().from(clientSecrets).where(eq(clientSecrets.id, id));
  return row!;
}

/** Rewrites a secret's stored value as the code before this change would have written it. */
async function makeLegacy(secretId: string, value: string) {
  const old = legacyEncrypt(value, keyRing);
  await handle.db
    .update(clientSecrets)
    .set({ ciphertext: old.ciphertext, encryptionKeyId: old.keyId })
    .where(eq(clientSecrets.id, secretId));
  return old.ciphertext;
}

async function legacyCount(): Promise<number> {
  const secrets = await handle.db.select({ id: clientSecrets.id }).from(clientSecrets).where(notLike(clientSecrets.ciphertext, "v2.%"));
  const keys = await handle.db.select({ id: signingKeys.id }).from(signingKeys).where(notLike(signingKeys.privateCiphertext, "v2.%"));
  const records = await handle.db
    .select({ key: idempotencyRecords.key })
    .from(idempotencyRecords)
    .where(sql`${idempotencyRecords.responseBody} ->> 'ciphertext' not like 'v2.%'`);
  return secrets.length + keys.length + records.length;
}

describe("a ciphertext is bound to its row", () => {
  it("refuses to reveal a secret whose row holds another secret's ciphertext, with a clear error and no value", async () => {
    const a = await provisionClient(ctx());
    const b = await provisionClient(ctx());
    const sealedA = await storedSecret(a.secretId);
    // Someone with write access to the database moves A's ciphertext into B's row.
    await handle.db
      .update(clientSecrets)
      .set({ ciphertext: sealedA.ciphertext, encryptionKeyId: sealedA.encryptionKeyId })
      .where(eq(clientSecrets.id, b.secretId));

    const error = await refusal(revealSecret(ctx(), { clientId: b.clientId, secretId: b.secretId }));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("gone");
    expect((error as DomainError).message).toMatch(/cannot be verified, so it is not shown\. Rotate/);
    expect((error as DomainError).message).not.toContain(a.secret);
    // In its own row it still opens.
    expect((await revealSecret(ctx(), { clientId: a.clientId, secretId: a.secretId })).value).toBe(a.secret);
  });
});

describe("the re-encryption data migration", () => {
  it("rewrites every old-format value in the current format, and each still reads back the same", async () => {
    // Old-format values in each table that holds ciphertexts.
    const clients = [await provisionClient(ctx()), await provisionClient(ctx()), await provisionClient(ctx())];
    for (const c of clients) await makeLegacy(c.secretId, c.secret);
    // Reveal reads the old format until it is rewritten (a deployment can roll).
    expect((await revealSecret(ctx(), { clientId: clients[0]!.clientId, secretId: clients[0]!.secretId })).value).toBe(clients[0]!.secret);

    await ensureSigningKeys(handle.db, keyRing, new Date());
    const keysBefore = await handle.db.select().from(signingKeys);
    for (const k of keysBefore) {
      const jwk = decrypt(k.privateCiphertext, k.encryptionKeyId, keyRing, signingKeyCipherContext(k.id));
      const old = legacyEncrypt(jwk, keyRing);
      await handle.db.update(signingKeys).set({ privateCiphertext: old.ciphertext }).where(eq(signingKeys.id, k.id));
    }

    const [user] = await handle.db.select().from(users).limit(1);
    const [token] = await handle.db
      .insert(personalApiTokens)
      .values({
        userId: user!.id,
        organisationId: northwind.id,
        name: "re-encryption test",
        digest: randomBytes(32).toString("hex"),
        maskedTail: "abcd",
        scope: "rotate",
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    const replay = () =>
      withIdempotency(handle.db, { tokenId: token!.id, key: "retry/1", fingerprint: "f", keyRing, now: new Date() }, async () => ({
        status: 201,
        body: { first: true },
      }));
    await replay();
    await handle.db
      .update(idempotencyRecords)
      .set({ responseBody: legacyEncrypt(JSON.stringify({ first: "legacy" }), keyRing) })
      .where(eq(idempotencyRecords.tokenId, token!.id));
    expect(await (await replay()).json()).toEqual({ first: "legacy" });
    expect(await legacyCount()).toBeGreaterThanOrEqual(3 + keysBefore.length + 1);

    // Small batches, so that paging through each table is exercised.
    const report = await reencryptLegacyCiphertexts(handle.db, keyRing, 2);
    expect(report.unreadable).toEqual([]);
    expect(report.reencrypted).toBeGreaterThanOrEqual(3 + keysBefore.length + 1);
    expect(await legacyCount()).toBe(0);

    for (const c of clients) {
      expect(isLegacyCiphertext((await storedSecret(c.secretId)).ciphertext!)).toBe(false);
      expect((await revealSecret(ctx(), { clientId: c.clientId, secretId: c.secretId })).value).toBe(c.secret);
    }
    const published = await loadPublishedKeys(handle.db, keyRing, new Date());
    expect(Object.keys(published.signers).sort()).toEqual(["ES256", "RS256"]);
    const replayed = await replay();
    expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replayed.json()).toEqual({ first: "legacy" });
  });

  it("is idempotent: a second run finds nothing to do and changes nothing", async () => {
    const c = await provisionClient(ctx());
    await makeLegacy(c.secretId, c.secret);
    await reencryptLegacyCiphertexts(handle.db, keyRing);
    const snapshot = await handle.db.select({ id: clientSecrets.id, ciphertext: clientSecrets.ciphertext }).from(clientSecrets);
    const keys = await handle.db.select({ id: signingKeys.id, ciphertext: signingKeys.privateCiphertext }).from(signingKeys);

    expect(await reencryptLegacyCiphertexts(handle.db, keyRing)).toEqual({ reencrypted: 0, unreadable: [] });
    expect(await handle.db.select({ id: clientSecrets.id, ciphertext: clientSecrets.ciphertext }).from(clientSecrets)).toEqual(snapshot);
    expect(await handle.db.select({ id: signingKeys.id, ciphertext: signingKeys.privateCiphertext }).from(signingKeys)).toEqual(keys);
    expect((await revealSecret(ctx(), { clientId: c.clientId, secretId: c.secretId })).value).toBe(c.secret);
  });

  it("leaves a value it cannot read as it is and names its row, without stopping the others", async () => {
    const lost = await provisionClient(ctx());
    const fine = await provisionClient(ctx());
    // Sealed under a key the deployment no longer has.
    const retired = legacyEncrypt(lost.secret, parseKeyRing(`gone:${randomBytes(32).toString("base64")}`));
    await handle.db
      .update(clientSecrets)
      .set({ ciphertext: retired.ciphertext, encryptionKeyId: retired.keyId })
      .where(eq(clientSecrets.id, lost.secretId));
    await makeLegacy(fine.secretId, fine.secret);

    const report = await reencryptLegacyCiphertexts(handle.db, keyRing);
    expect(report.reencrypted).toBe(1);
    expect(report.unreadable).toEqual([{ table: "client_secret", row: lost.secretId, reason: expect.stringMatching(/"gone"/) }]);
    expect(JSON.stringify(report)).not.toContain(lost.secret);
    expect((await storedSecret(lost.secretId)).ciphertext).toBe(retired.ciphertext);
    expect((await revealSecret(ctx(), { clientId: fine.clientId, secretId: fine.secretId })).value).toBe(fine.secret);
    // Done with this row: later tests expect none left.
    await handle.db.update(clientSecrets).set({ ciphertext: null, encryptionKeyId: null }).where(eq(clientSecrets.id, lost.secretId));
  });
});

describe("the data migrations as a whole", () => {
  it("drop sessions stored in clear, keep digest ones, and leave nothing in the old format", async () => {
    const [user] = await handle.db.select().from(users).limit(1);
    const clearToken = randomUUID();
    await handle.db.insert(sessions).values({ sessionToken: clearToken, userId: user!.id, expires: new Date(Date.now() + 3_600_000) });
    const kept = await createSession(handle.db, user!.id, new Date());
    const c = await provisionClient(ctx());
    await makeLegacy(c.secretId, c.secret);

    const report = await runDataMigrations(handle.db, keyRing);
    expect(report.clearTextSessionsDropped).toBe(1);
    expect(await handle.db.select().from(sessions).where(eq(sessions.sessionToken, clearToken))).toEqual([]);
    expect(
      await handle.db
        .select()
        .from(sessions)
        .where(eq(sessions.sessionToken, sessionTokenDigest(kept.token))),
    ).toHaveLength(1);
    expect(await legacyCount()).toBe(0);
    expect(await runDataMigrations(handle.db, keyRing)).toEqual({
      clearTextSessionsDropped: 0,
      reencryption: { reencrypted: 0, unreadable: [] },
    });
  });
});
