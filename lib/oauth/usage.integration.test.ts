import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientAddresses, clientAudienceUsage, clientPublicKeys, clientSecrets } from "@/db/schema";
import { anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { addKey, cliContext, provisionClient } from "./testing";
import { UsageRecorder } from "./usage";

/*
 * The usage recorder (lib/oauth/usage.ts): uses are gathered in memory and written in one batch,
 * each once, so the portal's "last used" and audience counts (docs/domain.md) are exact however
 * often the batch is written.
 */

const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;
let org: OrganisationDto;
beforeAll(async () => {
  handle = await createTestDatabase();
  org = await anOrganisation(handle.db);
});
afterAll(async () => handle?.close());

const t0 = new Date("2031-02-03T04:05:06.000Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

async function provisioned() {
  const ctx = cliContext(handle.db, org, keyRing, t0);
  const c = await provisionClient(ctx);
  const k = await addKey(ctx, c.clientId, "k");
  return { ...c, keyId: k.keyId };
}

async function recorded(c: Awaited<ReturnType<typeof provisioned>>) {
  const [secret] = await handle.db.select({ at: clientSecrets.lastUsedAt }).from(clientSecrets).where(eq(clientSecrets.id, c.secretId));
  const [key] = await handle.db.select({ at: clientPublicKeys.lastUsedAt }).from(clientPublicKeys).where(eq(clientPublicKeys.id, c.keyId));
  const audiences = await handle.db
    .select({ audience: clientAudienceUsage.audience, count: clientAudienceUsage.requestCount, last: clientAudienceUsage.lastSeenAt })
    .from(clientAudienceUsage)
    .where(eq(clientAudienceUsage.clientId, c.uuid));
  const addresses = await handle.db
    .select({ address: clientAddresses.address, at: clientAddresses.lastSuccessAt })
    .from(clientAddresses)
    .where(eq(clientAddresses.clientId, c.clientId));
  const byName = <T extends { audience?: string; address?: string }>(rows: T[]) =>
    rows.sort((a, b) => (a.audience ?? a.address ?? "").localeCompare(b.audience ?? b.address ?? ""));
  return { secret: secret?.at, key: key?.at, audiences: byName(audiences), addresses: byName(addresses) };
}

describe("the usage recorder", () => {
  it("writes the last use of each secret and key, each audience with its count, and each address, once per batch", async () => {
    const c = await provisioned();
    const usage = new UsageRecorder(handle.db);
    usage.secretUsed(c.secretId, at(1));
    usage.secretUsed(c.secretId, at(2));
    usage.keyUsed(c.keyId, at(3));
    usage.audienceRequested(c.uuid, "https://a.example/", at(1));
    usage.audienceRequested(c.uuid, "https://a.example/", at(4));
    usage.audienceRequested(c.uuid, "https://b.example/", at(2));
    usage.addressUsed(c.clientId, "203.0.113.1", at(1));
    usage.addressUsed(c.clientId, "203.0.113.2", at(2));
    usage.addressUsed(c.clientId, "203.0.113.1", at(5));
    await usage.flush();
    const expected = {
      secret: at(2),
      key: at(3),
      audiences: [
        { audience: "https://a.example/", count: 2, last: at(4) },
        { audience: "https://b.example/", count: 1, last: at(2) },
      ],
      addresses: [
        { address: "203.0.113.1", at: at(5) },
        { address: "203.0.113.2", at: at(2) },
      ],
    };
    expect(await recorded(c)).toEqual(expected);
    // The batch is gone once written: writing again adds nothing.
    await usage.flush();
    expect(await recorded(c)).toEqual(expected);
  });

  it("adds a later batch's counts to the earlier ones", async () => {
    const c = await provisioned();
    const usage = new UsageRecorder(handle.db);
    usage.audienceRequested(c.uuid, "https://a.example/", at(1));
    await usage.flush();
    usage.audienceRequested(c.uuid, "https://a.example/", at(7));
    await usage.flush();
    expect((await recorded(c)).audiences).toEqual([{ audience: "https://a.example/", count: 2, last: at(7) }]);
  });

  it("writes what is pending when stopped", async () => {
    const c = await provisioned();
    const usage = new UsageRecorder(handle.db);
    usage.start();
    usage.keyUsed(c.keyId, at(9));
    await usage.stop();
    expect(await recorded(c)).toEqual({ secret: null, key: at(9), audiences: [], addresses: [] });
  });
});
