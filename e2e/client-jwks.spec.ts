import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { people, signInAs } from "./helpers";

/*
 * A client that publishes its keys at a JWKS URL (docs/domain.md, "Keys at a JWKS URL"): the
 * designated user sets the URL in the portal, the client authenticates with key A, the publisher
 * replaces A with B, and an assertion signed with B works with nothing changed in Rotor. The
 * publisher is a plain-http server on localhost, which only a non-production deployment fetches
 * (the production refusal is in lib/oauth/client-jwks.integration.test.ts). A publisher that
 * fails is shown on the API tab.
 */
let server: Server;
let jwksUrl: string;
let answer: { status: number; body: string } = { status: 404, body: "" };

test.beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { "content-type": "application/json", "cache-control": "max-age=600" });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, kid, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

async function tokenStatus(page: Page, clientId: string, key: { privateKey: CryptoKey; kid: string }): Promise<number> {
  const base = new URL(page.url()).origin;
  const now = Math.floor(Date.now() / 1000);
  const signed = await new SignJWT({ iss: clientId, sub: clientId, aud: base, iat: now, exp: now + 60, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .sign(key.privateKey);
  const res = await page.request.post(`${base}/oauth/token`, {
    form: {
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: signed,
    },
  });
  return res.status();
}

test("the designated user points a client at its JWKS URL; the client rotates its key by publishing the next one", {
  lock: "northwind-sandbox",
}, async ({ page }) => {
  const a = await keyPair("key-a");
  const b = await keyPair("key-b");
  answer = { status: 200, body: JSON.stringify({ keys: [a.jwk] }) };

  await signInAs(page, people.northwindSpoc);
  await page.goto("/orgs/northwind/manage/api");
  const client = page.getByRole("article").filter({ hasText: "Claims submission (sandbox)" });
  const clientId = ((await client.getByTestId("client-id").textContent()) ?? "").trim();
  const panel = client.getByTestId("jwks-panel");
  await panel.getByText("Use a JWKS URL").click();
  await panel.getByLabel("JWKS URL").fill(jwksUrl);
  await panel.getByRole("button", { name: "Save the JWKS URL of Claims submission (sandbox)" }).click();
  await expect(panel.getByText("JWKS URL saved.")).toBeVisible();

  expect(await tokenStatus(page, clientId, a)).toBe(200);
  await page.reload();
  await expect(panel).toContainText(`Last fetched`);
  await expect(panel).toContainText("key-a (RSA, ");

  // The publisher rotates; Rotor is not told. (It fetches again for an unknown kid at most once per
  // ROTOR_JWKS_REFETCH_SECONDS, one second in the e2e servers: wait longer than that.)
  answer = { status: 200, body: JSON.stringify({ keys: [b.jwk] }) };
  await page.waitForTimeout(1500);
  expect(await tokenStatus(page, clientId, b)).toBe(200);
  expect(await tokenStatus(page, clientId, a)).toBe(401);

  // The publisher breaks: the next fetch fails, the last good keys still work, and the tab says so.
  answer = { status: 503, body: "down" };
  await page.waitForTimeout(1500);
  expect(await tokenStatus(page, clientId, await keyPair("key-c"))).toBe(401);
  expect(await tokenStatus(page, clientId, b)).toBe(200);
  await page.reload();
  await expect(panel.getByTestId("jwks-failing")).toContainText("The JWKS URL answered HTTP 503.");

  // Removing it (confirmed) leaves only the registered keys.
  await panel.getByText("Change the JWKS URL").click();
  await panel.getByRole("button", { name: "Remove the JWKS URL" }).click();
  await panel.getByRole("button", { name: "Yes, remove it" }).click();
  await expect(page.getByText("JWKS URL removed.").first()).toBeVisible();
  expect(await tokenStatus(page, clientId, b)).toBe(401);
});
