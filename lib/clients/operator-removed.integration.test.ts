import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { oauthClients } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { aClient } from "@/db/testing/builders";
import { cliPlatform, personOnPlatform } from "@/db/testing/contexts";
import { holdRowLock, postgresServerConfigured, raceTest, waitForLockWaiters } from "@/db/testing/race";
import { createTestDatabase } from "@/db/testing/test-database";
import { createPlatformApiToken } from "@/lib/api-tokens/api-tokens";
import type { OrganisationContext } from "@/lib/context";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import { addOperator } from "@/lib/organisations/add-operator";
import { removeOperator } from "@/lib/organisations/remove-operator";
import { disableClient } from "./disable-client";
import { updateClientSettings } from "./update-client-settings";

/*
 * An operator removed while their request waits (docs/domain.md, "The management API"): the
 * edge found them among the operators when the request arrived, the request then waited for the
 * client's row lock, and the removal committed meanwhile. The use case asks again under that lock
 * (authorizeOperatorNow) and changes nothing. On the Postgres server, the API's request on a pool
 * of its own, lined up behind a lock the test holds.
 */
let portal: (DatabaseHandle & { url?: string }) | null = null;
let api: DatabaseHandle | null = null;

beforeAll(async () => {
  if (!postgresServerConfigured()) return;
  portal = await createTestDatabase();
  await seedDemoData(portal.db, { now: new Date(), keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
  api = await openDatabase({ url: portal.url! });
});
afterAll(async () => {
  await api?.close();
  await portal?.close();
});

/** The context the management API builds for a platform token of a fresh operator. */
async function operatorThroughToken(email: string): Promise<OrganisationContext> {
  await addOperator(cliPlatform(portal!.db), { email });
  const user = (await findUserByEmail(portal!.db, email))!;
  const { id: tokenId } = await createPlatformApiToken(personOnPlatform(portal!.db, { userId: user.id, label: email, isOperator: true }), {
    name: "pipeline",
    expiresInDays: 7,
  });
  const organisation = (await findOrganisationBySlug(portal!.db, "northwind"))!;
  return {
    db: api!.db,
    actor: { type: "api_token", userId: user.id, tokenId, label: `${email} (API token "pipeline")` },
    isOperator: true,
    clock: () => new Date(),
    organisation,
    role: null,
  };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof DomainError ? { code: e.code, message: e.message } : Promise.reject(e)),
  );

describe("an operator removed while their request waits for the client's lock", () => {
  for (const [name, change] of [
    ["a change of settings", (ctx: OrganisationContext, clientId: string) => updateClientSettings(ctx, { clientId, legacyAudience: true })],
    ["disabling", (ctx: OrganisationContext, clientId: string) => disableClient(ctx, { clientId })],
  ] as const) {
    raceTest(`${name} is refused and changes nothing`, async () => {
      const email = `leaving-${randomBytes(4).toString("hex")}@rotor.example`;
      const ctx = await operatorThroughToken(email);
      const client = await aClient(portal!.db, ctx.organisation, {});
      const hold = await holdRowLock(portal!.url!, "oauth_client", client.id);
      let outcome: Promise<unknown>;
      try {
        outcome = refusal(change(ctx, client.clientId));
        await waitForLockWaiters(portal!.url!, 1);
        expect(await removeOperator(cliPlatform(portal!.db), { email })).toEqual({ apiTokensRevoked: 1 });
      } finally {
        await hold.release();
      }
      expect(await outcome).toEqual({ code: "forbidden", message: "You are no longer a platform operator. Nothing was changed." });
      const [row] = await portal!.db.select().from(oauthClients).where(eq(oauthClients.id, client.id));
      expect([row?.legacyAudience, row?.disabledAt]).toEqual([false, null]);
    });
  }
});
