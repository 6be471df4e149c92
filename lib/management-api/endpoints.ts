import { auditQueryParams } from "@/lib/audit/schemas";
import { searchAuditEvents } from "@/lib/audit/search-audit-events";
import { listClients } from "@/lib/credentials/list-clients";
import { readClientCredentials } from "@/lib/credentials/read-client-credentials";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import {
  registerKeyInput,
  revealSecretInput,
  revokeKeyInput,
  revokeSecretInput,
  rotateSecretInput,
  setJwksUriInput,
} from "@/lib/credentials/schemas";
import { setJwksUri } from "@/lib/credentials/set-jwks-uri";
import { jwksUriBody, registerKeyBody, revokeSecretBody, rotateBody } from "./dto";
import { managementRoute } from "./handler";

/*
 * The management API of seed 001 (Secret Read, Secret Reset, and key registration), each
 * endpoint one use case that authorizes its caller; the token's scope is checked first by
 * managementRoute. Mounted by the route files under app/api/v1/clients.
 */

const SHOWN_ONCE =
  "Your organisation's policy is show-once: the new secret was in the first response to this request only. If it was lost, rotate again and revoke this one.";

export const listClientsEndpoint = managementRoute({ scope: "read" }, async ({ ctx }) => ({
  status: 200,
  body: { clients: await listClients(ctx) },
}));

export const listSecretsEndpoint = managementRoute({ scope: "read" }, async ({ ctx, params }) => {
  const { secrets } = await readClientCredentials(ctx, params.clientId ?? "");
  return { status: 200, body: { secrets } };
});

export const rotateSecretEndpoint = managementRoute(
  { scope: "rotate", body: rotateBody, idempotent: true },
  async ({ ctx, params, body }) => {
    const input = rotateSecretInput.parse({ clientId: params.clientId, ...body });
    const result = await rotateSecret(ctx, input);
    const { secrets } = await readClientCredentials(ctx, input.clientId);
    const answer = {
      secret: secrets.find((s) => s.id === result.secret.id),
      value: result.secret.value,
      revokedSecretIds: result.revokedSecretIds,
      previousSecretAcceptedUntil: result.previousSecretAcceptedUntil?.toISOString() ?? null,
    };
    // Show-once: the value is in this response only; a replay of the request says so instead.
    const showOnce = ctx.organisation.secretRevealPolicy === "show_once";
    return { status: 201, body: answer, ...(showOnce ? { replayBody: { ...answer, value: null, valueShownOnce: SHOWN_ONCE } } : {}) };
  },
);

export const revealSecretEndpoint = managementRoute({ scope: "read" }, async ({ ctx, params }) => {
  const input = revealSecretInput.parse({ clientId: params.clientId, secretId: params.secretId });
  return { status: 200, body: await revealSecret(ctx, input) };
});

export const revokeSecretEndpoint = managementRoute(
  { scope: "rotate", body: revokeSecretBody, idempotent: true },
  async ({ ctx, params, body }) => {
    const input = revokeSecretInput.parse({ clientId: params.clientId, secretId: params.secretId, ...body });
    const { revokedAt } = await revokeSecret(ctx, input);
    return { status: 200, body: { revokedAt: revokedAt.toISOString() } };
  },
);

export const listKeysEndpoint = managementRoute({ scope: "read" }, async ({ ctx, params }) => {
  const { keys } = await readClientCredentials(ctx, params.clientId ?? "");
  return { status: 200, body: { keys } };
});

export const registerKeyEndpoint = managementRoute(
  { scope: "rotate", body: registerKeyBody, idempotent: true },
  async ({ ctx, params, body }) => {
    const input = registerKeyInput.parse({ clientId: params.clientId, ...body });
    const key = await registerPublicKey(ctx, input);
    const { keys } = await readClientCredentials(ctx, input.clientId);
    return { status: 201, body: keys.find((k) => k.id === key.id) };
  },
);

export const revokeKeyEndpoint = managementRoute({ scope: "rotate", idempotent: true }, async ({ ctx, params }) => {
  const input = revokeKeyInput.parse({ clientId: params.clientId, keyId: params.keyId });
  const { revokedAt } = await revokePublicKey(ctx, input);
  return { status: 200, body: { revokedAt: revokedAt.toISOString() } };
});

/** Sets or removes where the client publishes its keys (docs/domain.md, "Keys at a JWKS URL"). */
export const setJwksUriEndpoint = managementRoute(
  { scope: "rotate", body: jwksUriBody, idempotent: true },
  async ({ ctx, params, body }) => {
    const input = setJwksUriInput.parse({ clientId: params.clientId, jwksUri: body.jwksUri });
    return { status: 200, body: await setJwksUri(ctx, input) };
  },
);

/**
 * The organisation's audit log, filtered and a page at a time (docs/domain.md, "The audit log"):
 * each query parameter is validated, and a bad one is a 422 naming it.
 */
export const listAuditEventsEndpoint = managementRoute({ scope: "read" }, async ({ ctx, url }) => {
  const input = auditQueryParams.parse(Object.fromEntries(url.searchParams));
  const { events, nextCursor } = await searchAuditEvents(ctx, input);
  return { status: 200, body: { events, nextCursor } };
});
