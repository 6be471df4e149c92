import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { type AddressInfo, BlockList } from "node:net";
import { SignJWT } from "jose";
import type { Database } from "@/db/client";
import { aClient } from "@/db/testing/builders";
import type { CredentialContext } from "@/lib/context";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import type { KeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { JWT_BEARER_ASSERTION_TYPE } from "./constants";
import type { MACHINE_PATHS, Machine } from "./machine";
import { machineListener } from "./node-adapter";

/** Test helpers for the authorization server: provisioning through the real use cases. */

export function cliContext(db: Database, organisation: OrganisationDto, keyRing: KeyRing, now = new Date()): CredentialContext {
  return {
    db,
    organisation,
    role: null,
    isOperator: false,
    actor: { type: "cli", userId: null, label: "test" },
    clock: () => now,
    keyRing,
  };
}

export async function provisionClient(
  ctx: CredentialContext,
  options: { scopes?: string[]; audiences?: string[]; legacyAudience?: boolean; alg?: "ES256" | "RS256"; ttl?: number } = {},
) {
  const clientId = `t${randomBytes(9).toString("hex")}`;
  const client = await aClient(ctx.db, ctx.organisation, {
    clientId,
    name: `Test ${clientId}`,
    allowedScopes: options.scopes ?? ["claims:read", "claims:write"],
    allowedAudiences: options.audiences ?? ["https://api.claims-exchange.example/"],
    legacyAudience: options.legacyAudience ?? false,
    accessTokenAlg: options.alg ?? "ES256",
    accessTokenTtlSeconds: options.ttl ?? 3600,
  });
  const { secret } = await rotateSecret(ctx, { clientId, compromised: false });
  return { clientId, uuid: client.id, secret: secret.value, secretId: secret.id };
}

export async function addKey(ctx: CredentialContext, clientId: string, kid: string, bits = 2048) {
  const pair = generateKeyPairSync("rsa", { modulusLength: bits });
  const key = await registerPublicKey(ctx, { clientId, key: pair.publicKey.export({ type: "spki", format: "pem" }).toString(), kid });
  return { privateKey: pair.privateKey, keyId: key.id, kid };
}

/** An EC P-256 key registered as a PEM for ES256 (RFC 7518 3.4); the private half signs. */
export async function addEcKey(ctx: CredentialContext, clientId: string, kid: string) {
  const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const key = await registerPublicKey(ctx, { clientId, key: pair.publicKey.export({ type: "spki", format: "pem" }).toString(), kid });
  return { privateKey: pair.privateKey, keyId: key.id, kid };
}

export async function assertion(
  privateKey: KeyObject,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat: now, exp: now + 120, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: "RS256", ...header } as { alg: string })
    .sign(privateKey);
}

export function jwtForm(token: string, extra: Record<string, string> = {}) {
  return new URLSearchParams({
    grant_type: "client_credentials",
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: token,
    ...extra,
  });
}

/**
 * A one-character typo of `value`: its last character replaced by a different one, whatever it
 * was (always appending or substituting the same letter is no typo for a value that ends in it).
 */
/**
 * The value with one character changed. A compact JWS gets the first character of its signature
 * changed, never the last: the last base64url character of a signature carries unused low bits
 * (RFC 4648 4), so w, x, y and z there decode to the same bytes and a "typo" could still verify.
 */
export function typoOf(value: string): string {
  const dot = value.lastIndexOf(".");
  const at = dot > 0 && dot < value.length - 1 ? dot + 1 : value.length - 1;
  const swapped = value[at] === "x" ? "y" : "x";
  return `${value.slice(0, at)}${swapped}${value.slice(at + 1)}`;
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

export interface Mount {
  name: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The route-handler mount: the fetch core called with a Request, as app/ route handlers do. */
export function directMount(machine: Machine, origin: string): Mount {
  return {
    name: "route handler (fetch core)",
    fetch: (path, init) => {
      const handler = machine.routes[path as (typeof MACHINE_PATHS)[number]];
      if (!handler) throw new Error(`no machine route ${path}`);
      return handler(new Request(`${origin}${path}`, init));
    },
    close: async () => {},
  };
}

/** The self-hosted mount: Node's http server with the adapter, over a real socket. */
export async function httpMount(machine: Machine, origin: string, proxies: BlockList = new BlockList()): Promise<Mount> {
  const server: Server = createServer(machineListener(machine.routes, origin, { proxies }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    name: "self-hosted (node http)",
    fetch: (path, init) => fetch(`${base}${path}`, init),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
