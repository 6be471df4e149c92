import type { CredentialContext } from "@/lib/credentials/context";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { registerKeyInput, revealSecretInput, revokeKeyInput, revokeSecretInput, rotateSecretInput } from "@/lib/credentials/schemas";
import { getClientCredentials, listClients } from "@/lib/data/client-credentials";
import { DomainError } from "@/lib/errors";
import { registerKeyBody, revokeSecretBody, rotateBody } from "./dto";
import { managementRoute } from "./handler";

/*
 * The management API of seed 001 (Secret Read, Secret Reset, and key registration), each
 * endpoint one use case. Mounted by the route files under app/api/v1/clients.
 */

async function credentialsOr404(ctx: CredentialContext, clientId: string) {
  const found = await getClientCredentials(ctx.db, ctx.organisation, clientId, ctx.clock());
  if (!found) throw new DomainError("not_found", `There is no client ${clientId} in your organisation.`);
  return found;
}

export const listClientsEndpoint = managementRoute({}, async ({ ctx }) => ({
  status: 200,
  body: { clients: await listClients(ctx.db, ctx.organisation) },
}));

export const listSecretsEndpoint = managementRoute({}, async ({ ctx, params }) => {
  const { secrets } = await credentialsOr404(ctx, params.clientId ?? "");
  return { status: 200, body: { secrets } };
});

export const rotateSecretEndpoint = managementRoute({ body: rotateBody, idempotent: true }, async ({ ctx, params, body }) => {
  const input = rotateSecretInput.parse({ clientId: params.clientId, compromised: body.compromised });
  const result = await rotateSecret(ctx, input);
  const { secrets } = await credentialsOr404(ctx, input.clientId);
  return {
    status: 201,
    body: {
      secret: secrets.find((s) => s.id === result.secret.id),
      value: result.secret.value,
      revokedSecretIds: result.revokedSecretIds,
      previousSecretAcceptedUntil: result.previousSecretAcceptedUntil?.toISOString() ?? null,
    },
  };
});

export const revealSecretEndpoint = managementRoute({}, async ({ ctx, params }) => {
  const input = revealSecretInput.parse({ clientId: params.clientId, secretId: params.secretId });
  return { status: 200, body: await revealSecret(ctx, input) };
});

export const revokeSecretEndpoint = managementRoute({ body: revokeSecretBody, idempotent: true }, async ({ ctx, params, body }) => {
  const input = revokeSecretInput.parse({ clientId: params.clientId, secretId: params.secretId, reason: body.reason });
  const { revokedAt } = await revokeSecret(ctx, input);
  return { status: 200, body: { revokedAt: revokedAt.toISOString() } };
});

export const listKeysEndpoint = managementRoute({}, async ({ ctx, params }) => {
  const { keys } = await credentialsOr404(ctx, params.clientId ?? "");
  return { status: 200, body: { keys } };
});

export const registerKeyEndpoint = managementRoute({ body: registerKeyBody, idempotent: true }, async ({ ctx, params, body }) => {
  const input = registerKeyInput.parse({ clientId: params.clientId, ...body });
  const key = await registerPublicKey(ctx, input);
  const { keys } = await credentialsOr404(ctx, input.clientId);
  return { status: 201, body: keys.find((k) => k.id === key.id) };
});

export const revokeKeyEndpoint = managementRoute({ idempotent: true }, async ({ ctx, params }) => {
  const input = revokeKeyInput.parse({ clientId: params.clientId, keyId: params.keyId });
  const { revokedAt } = await revokePublicKey(ctx, input);
  return { status: 200, body: { revokedAt: revokedAt.toISOString() } };
});
