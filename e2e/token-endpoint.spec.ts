import { expect, type Page, test } from "@playwright/test";
import { createRemoteJWKSet, exportJWK, exportSPKI, generateKeyPair, jwtVerify, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import * as oidc from "openid-client";
import { createClientInPortal, people, signInAs, switchClientInPortal } from "./helpers";

/*
 * An integrator's system, played by the real openid-client and oauth4webapi libraries, against the real server:
 * the self-hosted mount (project "changes") and the Next.js route handlers (project
 * "changes-route-handlers", a plain `next start`). Provisioning goes through the portal and the
 * management API, as a designated user would.
 */

let base = "";
let apiToken = "";
let sandbox = "";
let signingKey: { privateKey: CryptoKey; kid: string } | null = null;

async function createApiToken(page: Page): Promise<string> {
  await signInAs(page, people.northwindSpoc);
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Personal API tokens" });
  await section.getByLabel("Token name").fill(`openid-client e2e ${Date.now()}`);
  await section.getByLabel(/Read and rotate/).check();
  await section.getByRole("button", { name: "Create token" }).click();
  return section.getByTestId("secret-value").inputValue();
}

async function discover(clientId: string, auth: oidc.ClientAuth) {
  return oidc.discovery(new URL(base), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests], algorithm: "oauth2" });
}

async function expectTokenOpensWhoami(accessToken: string, clientId: string) {
  const jwks = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, { issuer: base, typ: "at+jwt" });
  expect(protectedHeader.alg).toBe("ES256");
  expect(payload.client_id).toBe(clientId);
  const whoami = await fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(whoami.status).toBe(200);
  expect(await whoami.json()).toMatchObject({ client_id: clientId, organisation: { slug: "northwind", name: "Northwind Insurance" } });
}

test("the token endpoint answers other methods with 405 JSON and never HTML", async ({ baseURL }) => {
  const res = await fetch(`${baseURL}/oauth/token`);
  expect(res.status).toBe(405);
  expect(res.headers.get("content-type")).toContain("application/json");
  const html = await fetch(`${baseURL}/oauth/token`, { method: "POST", headers: { "content-type": "text/html" }, body: "<html>" });
  expect(html.status).toBe(400);
  expect(await html.json()).toMatchObject({ error: "invalid_request" });
});

test("unknown paths under /oauth, /.well-known and /api/v1 answer JSON 404, whatever the client accepts", async ({ baseURL }) => {
  const oauthBody = {
    error: "not_found",
    error_description: "There is no endpoint at this path. The metadata at /.well-known/oauth-authorization-server lists them.",
  };
  const apiBody = {
    type: "about:blank",
    title: "Not found",
    status: 404,
    detail: "There is no endpoint at this path. The OpenAPI document at /api/v1/openapi.json lists them.",
  };
  for (const [path, body, type] of [
    ["/oauth/tokens", oauthBody, "application/json"],
    ["/oauth/authorize?response_type=code", oauthBody, "application/json"],
    ["/.well-known/openid-configuration", oauthBody, "application/json"],
    ["/api/v1/no-such-thing", apiBody, "application/problem+json"],
    ["/api/v1/clients/abcdefgh/nothing", apiBody, "application/problem+json"],
  ] as const) {
    for (const accept of ["application/json", "text/html"]) {
      const res = await fetch(`${baseURL}${path}`, { headers: { accept } });
      expect({ path, accept, status: res.status, type: res.headers.get("content-type"), body: await res.json() }).toEqual({
        path,
        accept,
        status: 404,
        type: expect.stringContaining(type),
        body,
      });
    }
  }
});

test("OPTIONS gets the same answer on both mounts: what the path allows, and no body", async ({ baseURL }) => {
  for (const [path, allow] of [
    ["/oauth/token", "POST, OPTIONS"],
    ["/.well-known/jwks.json", "GET, HEAD, OPTIONS"],
  ] as const) {
    const res = await fetch(`${baseURL}${path}`, { method: "OPTIONS" });
    expect({ path, status: res.status, allow: res.headers.get("allow"), body: await res.text() }).toEqual({
      path,
      status: 204,
      allow,
      body: "",
    });
  }
});

// Provisioned once, then used by each step: a client's secret, its key, and what the portal shows of them.
test.describe
  .serial("an integrator's system provisioned through the portal and the API", () => {
    test("provision: the designated user gets an API token and finds the sandbox client", async ({ page }) => {
      base = test.info().project.use.baseURL as string;
      apiToken = await createApiToken(page);
      const res = await fetch(`${base}/api/v1/clients`, { headers: { authorization: `Bearer ${apiToken}` } });
      const { clients } = await res.json();
      sandbox = clients.find((c: { name: string }) => c.name.includes("sandbox")).clientId;
      expect(sandbox).toMatch(/^[0-9A-Za-z]{20}$/);
    });

    test("openid-client gets a token with ClientSecretBasic and with ClientSecretPost; both verify and open whoami", async () => {
      const rotated = await fetch(`${base}/api/v1/clients/${sandbox}/secrets`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
        body: "{}",
      });
      expect(rotated.status).toBe(201);
      const { value: secret } = await rotated.json();
      for (const auth of [oidc.ClientSecretBasic(secret), oidc.ClientSecretPost(secret)]) {
        const config = await discover(sandbox, auth);
        const tokens = await oidc.clientCredentialsGrant(config, { scope: "claims:read" });
        expect(tokens.token_type.toLowerCase()).toBe("bearer");
        expect(tokens.expires_in).toBe(3600);
        await expectTokenOpensWhoami(tokens.access_token, sandbox);
      }
    });

    test("openid-client gets a token with PrivateKeyJwt, a new assertion every time", async () => {
      const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
      const registered = await fetch(`${base}/api/v1/clients/${sandbox}/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
        body: JSON.stringify({ key: await exportSPKI(publicKey), kid: `e2e-${Date.now()}` }),
      });
      expect(registered.status).toBe(201);
      const { kid } = await registered.json();
      signingKey = { privateKey, kid };
      const config = await discover(sandbox, oidc.PrivateKeyJwt({ key: privateKey, kid }));
      for (let i = 0; i < 2; i++) {
        const tokens = await oidc.clientCredentialsGrant(config, { resource: "https://sandbox.claims-exchange.example/" });
        await expectTokenOpensWhoami(tokens.access_token, sandbox);
      }
    });

    test("an ES256 client (an EC P-256 key, as GOV.UK One Login signs) gets tokens with openid-client and with oauth4webapi", async () => {
      if (!signingKey) throw new Error("the PrivateKeyJwt test registers the RSA key first");
      const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
      // Registered as a JWK this time, beside the RSA key (two active keys: each assertion names its kid).
      const registered = await fetch(`${base}/api/v1/clients/${sandbox}/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
        body: JSON.stringify({ key: JSON.stringify(await exportJWK(publicKey)), kid: `e2e-ec-${Date.now()}` }),
      });
      expect(registered.status).toBe(201);
      const { kid, ...key } = await registered.json();
      expect(key).toMatchObject({ alg: "ES256", type: "EC", bits: 256, state: "active" });
      const resource = "https://sandbox.claims-exchange.example/";

      const config = await discover(sandbox, oidc.PrivateKeyJwt({ key: privateKey, kid }));
      const viaOpenidClient = await oidc.clientCredentialsGrant(config, { resource });
      await expectTokenOpensWhoami(viaOpenidClient.access_token, sandbox);

      const issuer = new URL(base);
      const insecure = { [oauth.allowInsecureRequests]: true };
      const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...insecure }));
      expect(as.token_endpoint_auth_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256"]);
      const client: oauth.Client = { client_id: sandbox };
      const grant = (auth: oauth.ClientAuth) =>
        oauth
          .clientCredentialsGrantRequest(as, client, auth, new URLSearchParams({ resource }), insecure)
          .then((response) => oauth.processClientCredentialsResponse(as, client, response));
      const viaOauth4webapi = await grant(oauth.PrivateKeyJwt({ key: privateKey, kid }));
      expect(viaOauth4webapi.token_type).toBe("bearer");
      await expectTokenOpensWhoami(viaOauth4webapi.access_token, sandbox);

      // The RSA key's private half naming the EC key's kid (an RS256 assertion), and the EC key
      // naming the RSA key's: both refused with the one answer every unverified assertion gets.
      for (const auth of [
        oauth.PrivateKeyJwt({ key: signingKey.privateKey, kid }),
        oauth.PrivateKeyJwt({ key: privateKey, kid: signingKey.kid }),
      ]) {
        const refused = await grant(auth).then(
          () => null,
          (e: oauth.ResponseBodyError) => ({ status: e.status, body: e.cause }),
        );
        expect(refused).toEqual({
          status: 401,
          body: {
            error: "invalid_client",
            error_description:
              "The client assertion could not be verified with a key of this client. The client's designated user can see why with the assertion checker in Dev Tools.",
          },
        });
      }
    });

    test("openid-client surfaces the server's RFC 6749 errors: invalid_client, invalid_scope, invalid_target", async () => {
      const refusal = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: { error?: string }) => e,
        );
      const bad = await discover(sandbox, oidc.ClientSecretBasic("rtr_cs_0000000000000000000000000000000000aaaaaa"));
      // RFC 6749 5.2: a failed Basic authentication is a 401 with a Basic challenge, which
      // openid-client reports as such.
      expect(await refusal(oidc.clientCredentialsGrant(bad))).toMatchObject({
        code: "OAUTH_WWW_AUTHENTICATE_CHALLENGE",
        status: 401,
        cause: [{ scheme: "basic" }],
      });

      const rotated = await fetch(`${base}/api/v1/clients/${sandbox}/secrets`, { headers: { authorization: `Bearer ${apiToken}` } });
      const live = (await rotated.json()).secrets.filter((s: { state: string }) => s.state !== "revoked" && s.state !== "expired");
      const revealed = await fetch(`${base}/api/v1/clients/${sandbox}/secrets/${live[0].id}/value`, {
        headers: { authorization: `Bearer ${apiToken}` },
      });
      const config = await discover(sandbox, oidc.ClientSecretBasic((await revealed.json()).value));
      expect((await refusal(oidc.clientCredentialsGrant(config, { scope: "claims:admin" })))?.error).toBe("invalid_scope");
      expect((await refusal(oidc.clientCredentialsGrant(config, { resource: "https://evil.example/" })))?.error).toBe("invalid_target");
    });

    test("the API tab shows the audiences the client's systems ask for, and when its secret was last used", async ({ page }) => {
      await signInAs(page, people.northwindAdmin);
      await expect
        .poll(
          async () => {
            await page.goto("/orgs/northwind/manage/api");
            return page.getByRole("article").filter({ hasText: "Claims submission (sandbox)" }).getByTestId("audiences-used").textContent();
          },
          { timeout: 20_000, intervals: [1000] },
        )
        .toMatch(/https:\/\/sandbox\.claims-exchange\.example\/ \(\d+ tokens, last/);
    });

    test("Dev Tools checks a pasted assertion and explains what is wrong with it", async ({ page }) => {
      if (!signingKey) throw new Error("the PrivateKeyJwt test registers the key first");
      const now = Math.floor(Date.now() / 1000);
      const sign = (aud: string, exp = now + 120) =>
        new SignJWT({ iss: sandbox, sub: sandbox, aud, iat: now, exp, jti: crypto.randomUUID() })
          .setProtectedHeader({ alg: "RS256", kid: signingKey!.kid })
          .sign(signingKey!.privateKey);
      await signInAs(page, people.northwindAdmin);
      await page.goto("/orgs/northwind/dev-tools");
      const checker = page.getByRole("region", { name: "Check a client assertion" });
      await checker.getByLabel("client_assertion", { exact: true }).fill(await sign(`${base}/`));
      await checker.getByRole("button", { name: "Check assertion" }).click();
      await expect(checker.getByRole("alert")).toContainText("trailing slash");
      await checker.getByLabel("client_assertion", { exact: true }).fill(await sign(base, now + 600));
      await checker.getByRole("button", { name: "Check assertion" }).click();
      await expect(checker.getByRole("alert")).toContainText("at most 300 s");
      await checker.getByLabel("client_assertion", { exact: true }).fill(await sign(base));
      await checker.getByRole("button", { name: "Check assertion" }).click();
      await expect(checker.getByRole("status")).toContainText("The token endpoint would accept this assertion");
    });
  });

test("a client the operator disabled gets invalid_client, exactly like an unknown one, until it is enabled again", async ({
  page,
  baseURL,
}) => {
  const clientId = await createClientInPortal(page, `Disabled on this mount ${Date.now()}`, { scopes: "claims:read" });
  const spoc = await page.context().browser()!.newPage();
  const token = await createApiToken(spoc);
  const rotated = await fetch(`${baseURL}/api/v1/clients/${clientId}/secrets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(rotated.status).toBe(201);
  const { value: secret } = await rotated.json();
  const ask = (id: string) =>
    fetch(`${baseURL}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: id, client_secret: secret }),
    });
  expect((await ask(clientId)).status).toBe(200);

  await switchClientInPortal(page, clientId, "disable");
  const refused = await ask(clientId);
  const unknown = await ask("unknownclient1234");
  expect({ status: refused.status, body: await refused.json() }).toEqual({
    status: 401,
    body: { error: "invalid_client", error_description: "Client authentication failed." },
  });
  expect({ status: unknown.status, body: await unknown.json() }).toEqual({
    status: 401,
    body: { error: "invalid_client", error_description: "Client authentication failed." },
  });

  await switchClientInPortal(page, clientId, "enable");
  expect((await ask(clientId)).status).toBe(200);
});
