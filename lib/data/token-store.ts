import { and, eq, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { clientPublicKeys, clientSecrets, consumedAssertions, oauthClients, organisations } from "@/db/schema";
import { keyAccepted, secretAccepted } from "./live";

/**
 * What the token endpoint reads and writes, as prepared statements: one round trip to
 * authenticate a secret, two for private_key_jwt (the keys, then the jti's atomic insert).
 * Nothing that must be shared between instances lives in a process's memory.
 */

export interface ClientRecord {
  id: string;
  clientId: string;
  organisationId: string;
  organisationSlug: string;
  organisationName: string;
  allowedScopes: string[];
  allowedAudiences: string[];
  defaultAudience: string | null;
  accessTokenTtlSeconds: number;
  accessTokenAlg: "ES256" | "RS256";
  legacyAudience: boolean;
  /** Where the client publishes its keys, if it does (lib/oauth/client-jwks-source.ts). */
  jwksUri?: string | null;
}

export interface TokenStore {
  findClientWithSecrets(clientId: string, now: Date): Promise<{ client: ClientRecord; secrets: { id: string; digest: string }[] } | null>;
  findClientWithKeys(
    clientId: string,
    now: Date,
  ): Promise<{
    client: ClientRecord;
    keys: { id: string; kid: string; alg: string; keyType: "RSA" | "EC"; jwk: Record<string, unknown> }[];
  } | null>;
  /** RFC 7523 3 (7): true the first time a (client, jti) is seen, false on a replay; atomic across instances. */
  consumeJti(clientId: string, jti: string, expiresAt: Date): Promise<boolean>;
  findClient(clientId: string): Promise<ClientRecord | null>;
}

const clientColumns = {
  id: oauthClients.id,
  clientId: oauthClients.clientId,
  organisationId: oauthClients.organisationId,
  organisationSlug: organisations.slug,
  organisationName: organisations.name,
  allowedScopes: oauthClients.allowedScopes,
  allowedAudiences: oauthClients.allowedAudiences,
  defaultAudience: oauthClients.defaultAudience,
  accessTokenTtlSeconds: oauthClients.accessTokenTtlSeconds,
  accessTokenAlg: oauthClients.accessTokenAlg,
  legacyAudience: oauthClients.legacyAudience,
  jwksUri: oauthClients.jwksUri,
};

function groupRows<Row extends Record<string, unknown>, Item>(rows: Row[], pick: (row: Row) => Item | null) {
  const first = rows[0];
  if (!first) return null;
  const client: ClientRecord = {
    id: first.id as string,
    clientId: first.clientId as string,
    organisationId: first.organisationId as string,
    organisationSlug: first.organisationSlug as string,
    organisationName: first.organisationName as string,
    allowedScopes: first.allowedScopes as string[],
    allowedAudiences: first.allowedAudiences as string[],
    defaultAudience: first.defaultAudience as string | null,
    accessTokenTtlSeconds: first.accessTokenTtlSeconds as number,
    accessTokenAlg: first.accessTokenAlg as "ES256" | "RS256",
    legacyAudience: first.legacyAudience as boolean,
    jwksUri: (first.jwksUri as string | null) ?? null,
  };
  return { client, items: rows.map(pick).filter((x): x is Item => x !== null) };
}

export function createTokenStore(db: Database): TokenStore {
  const now = sql.placeholder("now");
  const secretsQuery = db
    .select({ ...clientColumns, secretId: clientSecrets.id, digest: clientSecrets.digest })
    .from(oauthClients)
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .leftJoin(clientSecrets, and(eq(clientSecrets.clientId, oauthClients.id), secretAccepted(clientSecrets, sql`${now}::timestamptz`)))
    .where(and(eq(oauthClients.clientId, sql.placeholder("clientId")), isNull(oauthClients.disabledAt)))
    .prepare("rotor_token_client_secrets");
  const keysQuery = db
    .select({
      ...clientColumns,
      keyId: clientPublicKeys.id,
      kid: clientPublicKeys.kid,
      alg: clientPublicKeys.alg,
      keyType: clientPublicKeys.keyType,
      jwk: clientPublicKeys.jwk,
    })
    .from(oauthClients)
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .leftJoin(
      clientPublicKeys,
      and(eq(clientPublicKeys.clientId, oauthClients.id), keyAccepted(clientPublicKeys, sql`${now}::timestamptz`)),
    )
    .where(and(eq(oauthClients.clientId, sql.placeholder("clientId")), isNull(oauthClients.disabledAt)))
    .prepare("rotor_token_client_keys");
  const clientQuery = db
    .select(clientColumns)
    .from(oauthClients)
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .where(and(eq(oauthClients.clientId, sql.placeholder("clientId")), isNull(oauthClients.disabledAt)))
    .prepare("rotor_token_client");
  const jtiInsert = db
    .insert(consumedAssertions)
    .values({ clientId: sql.placeholder("clientId"), jti: sql.placeholder("jti"), expiresAt: sql.placeholder("expiresAt") })
    .onConflictDoNothing()
    .returning({ jti: consumedAssertions.jti })
    .prepare("rotor_token_consume_jti");

  return {
    async findClientWithSecrets(clientId, at) {
      const rows = await secretsQuery.execute({ clientId, now: at.toISOString() });
      const grouped = groupRows(rows, (r) => (r.secretId && r.digest ? { id: r.secretId, digest: r.digest } : null));
      return grouped && { client: grouped.client, secrets: grouped.items };
    },
    async findClientWithKeys(clientId, at) {
      const rows = await keysQuery.execute({ clientId, now: at.toISOString() });
      const grouped = groupRows(rows, (r) =>
        r.keyId && r.kid && r.alg && r.keyType && r.jwk ? { id: r.keyId, kid: r.kid, alg: r.alg, keyType: r.keyType, jwk: r.jwk } : null,
      );
      return grouped && { client: grouped.client, keys: grouped.items };
    },
    async consumeJti(clientId, jti, expiresAt) {
      const inserted = await jtiInsert.execute({ clientId, jti, expiresAt });
      return inserted.length === 1;
    },
    async findClient(clientId) {
      const [row] = await clientQuery.execute({ clientId });
      return row ?? null;
    },
  };
}

/** Consumed jtis are kept until their exp plus skew, then swept. */
export async function sweepConsumedAssertions(db: Database, now: Date): Promise<number> {
  const deleted = await db
    .delete(consumedAssertions)
    .where(lte(consumedAssertions.expiresAt, now))
    .returning({ jti: consumedAssertions.jti });
  return deleted.length;
}

/** Whether this jti of this client was already used (Dev Tools asks without using it up). */
export async function isAssertionConsumed(db: Database, clientId: string, jti: string): Promise<boolean> {
  const [used] = await db
    .select({ jti: consumedAssertions.jti })
    .from(consumedAssertions)
    .where(and(eq(consumedAssertions.clientId, clientId), eq(consumedAssertions.jti, jti)))
    .limit(1);
  return used !== undefined;
}
