import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clientPublicKeys, clientSecrets, oauthClients } from "@/db/schema";
import { isWellFormedClientId } from "@/lib/crypto/client-id";
import { maskSecret } from "@/lib/crypto/tokens";
import { daysLeft, expiryDateOf, publicKeyState, type RotationPolicy, secretState } from "@/lib/rotation/secret-state";
import type { OrganisationDto } from "./organisations";

type ClientSettingsRow = Pick<
  typeof oauthClients.$inferSelect,
  | "clientId"
  | "name"
  | "allowedScopes"
  | "allowedAudiences"
  | "defaultAudience"
  | "accessTokenTtlSeconds"
  | "accessTokenAlg"
  | "legacyAudience"
  | "disabledAt"
>;

/**
 * A client's settings as the management API shows them: the organisation's read-only listing and
 * the operator's endpoints (lib/management-api/platform-endpoints.ts) answer the same shape.
 */
export function clientSettingsView(c: ClientSettingsRow) {
  return {
    clientId: c.clientId,
    name: c.name,
    scopes: c.allowedScopes,
    audiences: c.allowedAudiences,
    defaultAudience: c.defaultAudience,
    accessTokenLifetimeSeconds: c.accessTokenTtlSeconds,
    accessTokenAlg: c.accessTokenAlg,
    legacyAudience: c.legacyAudience,
    disabledAt: c.disabledAt?.toISOString() ?? null,
  };
}

/** One client's credentials for the management API, scoped to the organisation. */
export async function getClientCredentials(db: Executor, org: OrganisationDto, clientId: string, now: Date) {
  // From a URL path: an ID that cannot exist is not looked up (a NUL byte would fail the query).
  if (!isWellFormedClientId(clientId)) return null;
  const [client] = await db
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.organisationId, org.id), eq(oauthClients.clientId, clientId)))
    .limit(1);
  if (!client) return null;
  const secrets = await db
    .select()
    .from(clientSecrets)
    .where(eq(clientSecrets.clientId, client.id))
    .orderBy(desc(clientSecrets.createdAt))
    .limit(20);
  const keys = await db
    .select()
    .from(clientPublicKeys)
    .where(eq(clientPublicKeys.clientId, client.id))
    .orderBy(desc(clientPublicKeys.createdAt));
  const policy: RotationPolicy = { timeZone: org.timeZone, validityDays: org.validityDays, overlapDays: org.overlapDays };
  return {
    client: clientSettingsView(client),
    secrets: secrets.map((s) => ({
      id: s.id,
      maskedValue: maskSecret(s.maskedTail),
      label: s.label,
      state: secretState(s, secrets, now, policy),
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      expiresOn: expiryDateOf(s.expiresAt, org.timeZone) as string,
      daysLeft: daysLeft(s.expiresAt, now, org.timeZone),
      lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
      issuedBy: s.issuedBy,
    })),
    keys: keys.map((k) => ({
      id: k.id,
      kid: k.kid,
      label: k.label,
      alg: k.alg,
      type: k.keyType,
      bits: k.bits,
      thumbprint: k.thumbprint,
      state: publicKeyState(k, now, policy),
      createdAt: k.createdAt.toISOString(),
      expiresAt: k.expiresAt?.toISOString() ?? null,
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

export async function listClients(db: Executor, org: OrganisationDto) {
  const rows = await db.select().from(oauthClients).where(eq(oauthClients.organisationId, org.id)).orderBy(oauthClients.name);
  return rows.map(clientSettingsView);
}
