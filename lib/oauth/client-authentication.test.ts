import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { digestSecret, generateClientSecret } from "@/lib/crypto/client-secret";
import type { ClientRecord, TokenStore } from "@/lib/data/token-store";
import { ASSERTION_NOT_VERIFIED } from "./client-assertion";
import {
  authenticateClient,
  authenticateGuarded,
  type ClientAuthGuard,
  claimedClientId,
  detectAuthMethods,
  parseBasicCredentials,
} from "./client-authentication";
import { JWT_BEARER_ASSERTION_TYPE } from "./constants";
import { CLIENT_AUTH_FAILED, OAuthError, oauthErrorResponse } from "./errors";
import type { Form } from "./form";

/** RFC 6749 2.3 client authentication, against an in-memory store (the database is tested in token-endpoint.integration.test.ts). */

const issuer = "https://ext.auth.example";
const now = new Date("2026-03-01T12:00:00.000Z");
const client: ClientRecord = {
  id: "uuid-1",
  clientId: "client_one",
  organisationId: "org-1",
  organisationSlug: "acme",
  organisationName: "Acme",
  allowedScopes: [],
  allowedAudiences: [],
  defaultAudience: null,
  accessTokenTtlSeconds: 3600,
  accessTokenAlg: "ES256",
  legacyAudience: false,
};
const current = generateClientSecret();
const next = generateClientSecret();
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = rsa.publicKey.export({ format: "jwk" }) as Record<string, unknown>;

function store(): TokenStore & { jtis: string[]; lookups: string[] } {
  const jtis: string[] = [];
  const lookups: string[] = [];
  return {
    jtis,
    lookups,
    findClientWithSecrets: async (clientId) =>
      lookups.push(clientId) && clientId === client.clientId
        ? {
            client,
            secrets: [
              { id: "secret-current", digest: digestSecret(current) },
              { id: "secret-next", digest: digestSecret(next) },
            ],
          }
        : null,
    findClientWithKeys: async (clientId) =>
      lookups.push(clientId) && clientId === client.clientId
        ? { client, keys: [{ id: "key-1", kid: "kid-1", alg: "RS256", keyType: "RSA", jwk }] }
        : null,
    consumeJti: async (_clientId, jti) => {
      if (jtis.includes(jti)) return false;
      jtis.push(jti);
      return true;
    },
    findClient: async () => client,
  };
}
const ctx = (s: TokenStore = store()) => ({ store: s, issuer, tokenEndpoint: `${issuer}/oauth/token`, now });
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const form = (entries: Record<string, string>): Form => new Map(Object.entries(entries));
const assertion = (claims: Record<string, unknown> = {}) =>
  new SignJWT({
    iss: client.clientId,
    sub: client.clientId,
    aud: issuer,
    iat: now.getTime() / 1000,
    exp: now.getTime() / 1000 + 60,
    jti: "jti-1",
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: "kid-1" })
    .sign(rsa.privateKey);

async function refusal(run: () => unknown): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof OAuthError)) throw new Error(`expected an OAuthError, got ${String(thrown)}`);
  const response = oauthErrorResponse(thrown, false);
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name === "www-authenticate" || name === "retry-after"));
  return { status: response.status, headers, body: await response.json() };
}
const failed = { status: 401, headers: {}, body: { error: "invalid_client", error_description: CLIENT_AUTH_FAILED } };
/** private_key_jwt's one answer before a signature verified (lib/oauth/client-assertion.ts). */
const unverified = { status: 401, headers: {}, body: { error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED } };
const invalidRequest = (description: string) => ({
  status: 400,
  headers: {},
  body: { error: "invalid_request", error_description: description },
});
const invalidClient = (description: string) => ({
  status: 401,
  headers: {},
  body: { error: "invalid_client", error_description: description },
});

describe("HTTP Basic credentials (RFC 6749 2.3.1)", () => {
  it("are form-decoded after base64, and split at the first colon", () => {
    expect(parseBasicCredentials(basic("a%20b+c", "s%3Acret:x"))).toEqual({ clientId: "a b c", secret: "s:cret:x" });
    expect(parseBasicCredentials(`basic  ${Buffer.from("id:").toString("base64")} `)).toEqual({ clientId: "id", secret: "" });
  });

  it("may carry an empty client_id, which then names no client", () => {
    expect(parseBasicCredentials(basic("", "x"))).toEqual({ clientId: "", secret: "x" });
  });

  it("are refused when not base64, without a colon, or badly percent-encoded", async () => {
    const notBase64 = invalidClient("The Basic credentials are not valid base64.");
    const encoded = Buffer.from("ab:c").toString("base64");
    expect(await refusal(() => parseBasicCredentials("Basic ***"))).toEqual(notBase64);
    expect(await refusal(() => parseBasicCredentials(`Basic !!${encoded}`))).toEqual(notBase64);
    expect(await refusal(() => parseBasicCredentials(`Basic ${encoded}!!`))).toEqual(notBase64);
    expect(await refusal(() => parseBasicCredentials(`Basic ${Buffer.from("nocolon").toString("base64")}`))).toEqual(
      invalidClient("The Basic credentials must be client_id:client_secret."),
    );
    expect(await refusal(() => parseBasicCredentials(basic("%E0%A4%A", "x")))).toEqual(
      invalidClient("The Basic credentials have malformed percent-encoding."),
    );
  });
});

describe("which authentication methods a request uses (RFC 6749 2.3)", () => {
  it("names each method the request carries", () => {
    expect(detectAuthMethods(null, form({}))).toEqual([]);
    expect(detectAuthMethods("basic abc", form({ client_secret: "s", client_assertion: "a" }))).toEqual([
      "client_secret_basic",
      "client_secret_post",
      "private_key_jwt",
    ]);
    expect(detectAuthMethods(null, form({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE }))).toEqual(["private_key_jwt"]);
  });

  it("refuses another Authorization scheme", async () => {
    const expected = invalidRequest("The Authorization header must use the Basic scheme at the token endpoint.");
    expect(await refusal(() => detectAuthMethods("Bearer abc", form({})))).toEqual(expected);
    expect(await refusal(() => detectAuthMethods("Token basic abc", form({})))).toEqual(expected);
  });
});

describe("authenticating a client", () => {
  it("accepts either live secret during the overlap, by Basic or in the body, and says which one", async () => {
    expect(await authenticateClient(ctx(), basic(client.clientId, current), form({}))).toEqual({
      client,
      method: "client_secret_basic",
      credentialId: "secret-current",
    });
    expect(await authenticateClient(ctx(), null, form({ client_id: client.clientId, client_secret: next }))).toEqual({
      client,
      method: "client_secret_post",
      credentialId: "secret-next",
    });
  });

  it("answers a wrong secret, an unknown client and a malformed one alike", async () => {
    expect(await refusal(() => authenticateClient(ctx(), basic(client.clientId, generateClientSecret()), form({})))).toEqual(failed);
    expect(await refusal(() => authenticateClient(ctx(), basic("client_two", current), form({})))).toEqual(failed);
    expect(await refusal(() => authenticateClient(ctx(), basic("bad id!", current), form({})))).toEqual(failed);
    expect(await refusal(() => authenticateClient(ctx(), basic(client.clientId, "not-a-secret"), form({})))).toEqual(failed);
  });

  it("refuses a malformed client_id or secret before any look-up (a NUL byte would fail the query)", async () => {
    const s = store();
    expect(await refusal(() => authenticateClient(ctx(s), basic("bad id\u0000", current), form({})))).toEqual(failed);
    expect(await refusal(() => authenticateClient(ctx(s), basic(client.clientId, "not-a-secret"), form({})))).toEqual(failed);
    const token = await assertion({ iss: "bad id\u0000", sub: "bad id\u0000" });
    expect(
      await refusal(() =>
        authenticateClient(ctx(s), null, form({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: token })),
      ),
    ).toEqual(unverified);
    expect(s.lookups).toEqual([]);
  });

  it("refuses an assertion whose sub is not the client_id parameter", async () => {
    const token = await assertion();
    expect(
      await refusal(() =>
        authenticateClient(
          ctx(),
          null,
          form({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: token, client_id: "client_two" }),
        ),
      ),
    ).toEqual(invalidClient("The client_id parameter does not match the assertion's sub."));
  });

  it("refuses two methods at once, and none at all with a Basic challenge", async () => {
    expect(await refusal(() => authenticateClient(ctx(), basic(client.clientId, current), form({ client_secret: current })))).toEqual(
      invalidRequest("Use exactly one client authentication method; this request used client_secret_basic and client_secret_post."),
    );
    expect(await refusal(() => authenticateClient(ctx(), null, form({})))).toEqual({
      status: 401,
      headers: { "www-authenticate": 'Basic realm="oauth", charset="UTF-8"' },
      body: {
        error: "invalid_client",
        error_description: "No client authentication: use client_secret_basic, client_secret_post or private_key_jwt.",
      },
    });
  });

  it("refuses a body client_id that differs from Basic, and client_secret_post without client_id", async () => {
    expect(await authenticateClient(ctx(), basic(client.clientId, current), form({ client_id: client.clientId }))).toMatchObject({
      credentialId: "secret-current",
    });
    expect(await refusal(() => authenticateClient(ctx(), basic(client.clientId, current), form({ client_id: "client_two" })))).toEqual(
      invalidRequest("client_id in the body differs from the Basic credentials."),
    );
    expect(await refusal(() => authenticateClient(ctx(), null, form({ client_secret: current })))).toEqual(
      invalidRequest("client_secret_post needs the client_id parameter."),
    );
  });

  it("accepts a private_key_jwt assertion once, and refuses its replay (RFC 7523 3 (7))", async () => {
    const s = store();
    const token = await assertion();
    const body = form({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: token });
    expect(await authenticateClient(ctx(s), null, body)).toEqual({ client, method: "private_key_jwt", credentialId: "key-1" });
    expect(s.jtis).toEqual(["jti-1"]);
    expect(await refusal(() => authenticateClient(ctx(s), null, body))).toEqual(
      invalidClient("This assertion's jti has already been used: sign a new assertion for every request."),
    );
  });

  it("refuses an assertion request without the assertion, or for an unknown or malformed client", async () => {
    expect(await refusal(() => authenticateClient(ctx(), null, form({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE })))).toEqual(
      invalidRequest("The client_assertion parameter is missing."),
    );
    for (const sub of ["client_two", "bad id!"]) {
      const token = await assertion({ iss: sub, sub });
      expect(
        await refusal(() =>
          authenticateClient(ctx(), null, form({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: token })),
        ),
      ).toEqual(unverified);
    }
  });
});

describe("the client a request claims, for the rate limits", () => {
  it("comes from Basic, else the client_id parameter, else the assertion's sub or iss", async () => {
    expect(claimedClientId(basic("client_one", "x"), form({ client_id: "client_two" }))).toBe("client_one");
    expect(claimedClientId(null, form({ client_id: "client_two", client_assertion: await assertion() }))).toBe("client_two");
    expect(claimedClientId(null, form({ client_assertion: await assertion({ sub: undefined }) }))).toBe("client_one");
    expect(claimedClientId("Bearer abc", form({ client_id: "client_two" }))).toBe("client_two");
    expect(claimedClientId("Token basic abc", form({ client_id: "client_two" }))).toBe("client_two");
  });

  it("is nothing when nothing well-formed is claimed", () => {
    expect(claimedClientId(null, form({}))).toBeNull();
    expect(claimedClientId("Basic ***", form({ client_id: "client_two" }))).toBeNull();
    expect(claimedClientId(null, form({ client_id: "bad id!" }))).toBeNull();
    expect(claimedClientId(null, form({ client_assertion: "not-a-jwt" }))).toBeNull();
  });
});

describe("authentication behind the rate limits (docs/security.md, Rate limits)", () => {
  function recorder(waits: { begin?: number; succeeded?: number } = {}): ClientAuthGuard & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      begin: async (clientId, address) => {
        calls.push(`begin ${clientId} ${address}`);
        return waits.begin ?? 0;
      },
      failed: async (clientId, address) => {
        calls.push(`failed ${clientId} ${address}`);
      },
      succeeded: async (clientId, address, claimed) => {
        calls.push(`succeeded ${clientId} ${address} ${claimed}`);
        return waits.succeeded ?? 0;
      },
      released: async (clientId, address) => {
        calls.push(`released ${clientId} ${address}`);
      },
    };
  }

  it("gives the place back on success", async () => {
    const guard = recorder();
    expect((await authenticateGuarded(ctx(), guard, "192.0.2.1", basic(client.clientId, current), form({}))).credentialId).toBe(
      "secret-current",
    );
    expect(guard.calls).toEqual(["begin client_one 192.0.2.1", "succeeded client_one 192.0.2.1 client_one"]);
  });

  it("counts invalid_client as a failure, and anything else as neither", async () => {
    const wrong = recorder();
    await expect(
      authenticateGuarded(
        ctx(),
        wrong,
        "192.0.2.1",
        basic(client.clientId, `${next.slice(0, -1)}${next.endsWith("x") ? "y" : "x"}`),
        form({}),
      ),
    ).rejects.toThrow(OAuthError);
    expect(wrong.calls).toEqual(["begin client_one 192.0.2.1", "failed client_one 192.0.2.1"]);
    const malformed = recorder();
    await expect(authenticateGuarded(ctx(), malformed, null, "Bearer x", form({}))).rejects.toThrow(OAuthError);
    expect(malformed.calls).toEqual(["begin null null", "released null null"]);
  });

  it("refuses a throttled caller at once with 429 and whole seconds to wait, at least one", async () => {
    const guard = recorder({ begin: 1_200 });
    expect(await refusal(() => authenticateGuarded(ctx(), guard, null, basic(client.clientId, current), form({})))).toEqual({
      status: 429,
      headers: { "retry-after": "2" },
      body: { error: "temporarily_unavailable", error_description: "Too many failed client authentications; try again in 2 seconds." },
    });
    expect(guard.calls).toEqual(["begin client_one null"]);
    expect(
      (await refusal(() => authenticateGuarded(ctx(), recorder({ succeeded: 1 }), null, basic(client.clientId, current), form({}))))
        .headers,
    ).toEqual({ "retry-after": "1" });
  });
});
