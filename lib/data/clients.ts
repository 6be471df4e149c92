import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { oauthClients } from "@/db/schema";

/** An OAuth client as the operator sees it: its settings, never its credentials. */
export interface ClientDto {
  id: string;
  clientId: string;
  name: string;
  allowedScopes: string[];
  allowedAudiences: string[];
  accessTokenTtlSeconds: number;
  legacyAudience: boolean;
  accessTokenAlg: "ES256" | "RS256";
  createdAt: Date;
}

const clientColumns = {
  id: oauthClients.id,
  clientId: oauthClients.clientId,
  name: oauthClients.name,
  allowedScopes: oauthClients.allowedScopes,
  allowedAudiences: oauthClients.allowedAudiences,
  accessTokenTtlSeconds: oauthClients.accessTokenTtlSeconds,
  legacyAudience: oauthClients.legacyAudience,
  accessTokenAlg: oauthClients.accessTokenAlg,
  createdAt: oauthClients.createdAt,
};

export type NewClient = Omit<ClientDto, "id">;

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
