import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientSecrets } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { DomainError } from "@/lib/errors";
import { cliContext, provisionClient } from "@/lib/oauth/testing";
import { findOrganisationBySlug, type OrganisationDto } from "./organisations";

/*
 * Encryption at rest, bound to where each value is stored (lib/crypto/encryption.ts).
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
