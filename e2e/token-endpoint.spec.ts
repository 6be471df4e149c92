import { expect, type Page, test } from "@playwright/test";
import { createRemoteJWKSet, exportSPKI, generateKeyPair, jwtVerify, SignJWT } from "jose";
import * as oidc from "openid-client";
import { createClientInPortal, people, signInAs, switchClientInPortal } from "./helpers";

/*
 * An integrator's system, played by the real openid-client library, against the real server:
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
