import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { oauthClients, organisations } from "@/db/schema";
import { clientOfOrganisation } from "./scope";

/** An OAuth client as the operator sees it: its settings, never its credentials. */
export interface ClientDto {
  id: string;
  clientId: string;
  name: string;
  allowedScopes: string[];
  allowedAudiences: string[];
  /** One of allowedAudiences; null exactly when there are none (db/schema.ts, oauth_client). */
  defaultAudience: string | null;
  accessTokenTtlSeconds: number;
  legacyAudience: boolean;
  accessTokenAlg: "ES256" | "RS256";
  createdAt: Date;
  /** Since when the token endpoint refuses it (invalid_client); null while enabled. */
  disabledAt: Date | null;
}

const clientColumns = {
  id: oauthClients.id,
  clientId: oauthClients.clientId,
  name: oauthClients.name,
  allowedScopes: oauthClients.allowedScopes,
  allowedAudiences: oauthClients.allowedAudiences,
  defaultAudience: oauthClients.defaultAudience,
  accessTokenTtlSeconds: oauthClients.accessTokenTtlSeconds,
  legacyAudience: oauthClients.legacyAudience,
  accessTokenAlg: oauthClients.accessTokenAlg,
  createdAt: oauthClients.createdAt,
  disabledAt: oauthClients.disabledAt,
};

export type NewClient = Omit<ClientDto, "id" | "disabledAt">;

export async function insertClient(db: Executor, organisationId: string, values: NewClient): Promise<ClientDto> {
  const [row] = await db
    .insert(oauthClients)
    .values({ organisationId, ...values })
    .returning(clientColumns);
  if (!row) throw new Error("client insert returned nothing");
  return row;
}

export async function listOrganisationClients(db: Executor, organisationId: string): Promise<ClientDto[]> {
  return db.select(clientColumns).from(oauthClients).where(eq(oauthClients.organisationId, organisationId)).orderBy(asc(oauthClients.name));
}

/** One client of one organisation, to read; a client of another organisation is not found. */
export async function findOrganisationClient(db: Executor, organisationId: string, clientId: string): Promise<ClientDto | null> {
  const [row] = await db.select(clientColumns).from(oauthClients).where(clientOfOrganisation(organisationId, clientId)).limit(1);
  return row ?? null;
}

/**
 * One client of one organisation, locked for the rest of the transaction so two changes to its
 * settings are serialised; a client of another organisation is not found (docs/architecture.md,
 * "Conventions" 3).
 */
export async function lockOrganisationClient(tx: Executor, organisationId: string, clientId: string): Promise<ClientDto | null> {
  const [row] = await tx.select(clientColumns).from(oauthClients).where(clientOfOrganisation(organisationId, clientId)).for("update");
  return row ?? null;
}

export type ClientSettings = Pick<
  ClientDto,
  "allowedScopes" | "allowedAudiences" | "defaultAudience" | "accessTokenTtlSeconds" | "accessTokenAlg" | "legacyAudience"
>;

export async function updateClientSettings(tx: Executor, id: string, settings: ClientSettings): Promise<ClientDto> {
  const [row] = await tx.update(oauthClients).set(settings).where(eq(oauthClients.id, id)).returning(clientColumns);
  if (!row) throw new Error("client update returned nothing");
  return row;
}

/** Disabled from `at`, or enabled again with null; the token endpoint reads it on every request. */
export async function setClientDisabledAt(tx: Executor, id: string, at: Date | null): Promise<ClientDto> {
  const [row] = await tx.update(oauthClients).set({ disabledAt: at }).where(eq(oauthClients.id, id)).returning(clientColumns);
  if (!row) throw new Error("client update returned nothing");
  return row;
}

/** A client with the organisation it belongs to, as the Platform area lists them. */
export interface PlatformClientDto extends ClientDto {
  organisation: { id: string; slug: string; name: string };
}

const withOrganisation = {
  ...clientColumns,
  organisation: { id: organisations.id, slug: organisations.slug, name: organisations.name },
};

/** Every organisation's clients, by organisation then client name: the platform operator's view. */
export async function listAllClients(db: Executor): Promise<PlatformClientDto[]> {
  return db
    .select(withOrganisation)
    .from(oauthClients)
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .orderBy(asc(organisations.name), asc(oauthClients.name));
}

/** One client by its public id, with its organisation; the platform operator's, so not tenant-scoped. */
export async function findPlatformClient(db: Executor, clientId: string): Promise<PlatformClientDto | null> {
  const [row] = await db
    .select(withOrganisation)
    .from(oauthClients)
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .where(eq(oauthClients.clientId, clientId))
    .limit(1);
  return row ?? null;
}

/** Turns a client's legacy aud switch on or off (docs/domain.md, the token endpoint); the token endpoint reads it per request. */
export async function setClientLegacyAudience(tx: Executor, id: string, on: boolean): Promise<void> {
  await tx.update(oauthClients).set({ legacyAudience: on }).where(eq(oauthClients.id, id));
}
