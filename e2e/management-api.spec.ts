import { generateKeyPairSync } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

// Changes Northwind's credentials, so its project runs after the read-only specs.

let token = "";
let production = "";

async function createToken(page: Page, name: string): Promise<string> {
  await signInAs(page, people.northwindSpoc);
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Personal API tokens" });
  await section.getByLabel("Token name").fill(name);
  await section.getByLabel(/Read and rotate/).check();
  await section.getByRole("button", { name: "Create token" }).click();
  await expect(section.getByText("Copy it now: it will not be shown again.")).toBeVisible();
  return section.getByTestId("secret-value").inputValue();
}

test("without a valid token the API answers 401 problem+json with a Bearer challenge", async ({ request }) => {
  for (const authorization of [undefined, "Bearer rtr_pat_not-a-real-token", `Basic ${Buffer.from("a:b").toString("base64")}`]) {
    const res = await request.get("/api/v1/clients", { headers: authorization ? { authorization } : {} });
    expect(res.status()).toBe(401);
    expect(res.headers()["content-type"]).toContain("application/problem+json");
    expect(res.headers()["www-authenticate"]).toContain('error="invalid_token"');
    expect((await res.json()).detail).toMatch(/personal API token/);
  }
});

test("the OpenAPI document is served and linked from Dev Tools", async ({ page, request }) => {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/dev-tools");
  await expect(page.getByRole("link", { name: "OpenAPI 3.1 document" })).toHaveAttribute("href", "/api/v1/openapi.json");
});

// One token through its life, and Northwind's production client changed step by step: in order.
test.describe
  .serial("the designated user's token, from creation to revocation", () => {
    test("the designated user creates a personal API token in Account Management, shown once", async ({ page }) => {
      token = await createToken(page, "rotation pipeline");
      expect(token).toMatch(/^rtr_pat_[0-9A-Za-z]{36}$/);
      await page.reload();
      const row = page.getByRole("table", { name: "Your personal API tokens" }).getByRole("row").filter({ hasText: "rotation pipeline" });
      await expect(row).toContainText("Active");
      await expect(page.locator("body")).not.toContainText(token);
    });

    // Lists Northwind's clients exactly: takes turns with the spec below that adds one.
    test("reads the organisation's clients and a client's secret metadata, masked", { lock: "northwind-client-list" }, async ({
      request,
    }) => {
      const auth = { authorization: `Bearer ${token}` };
      const clients = await (await request.get("/api/v1/clients", { headers: auth })).json();
      // Other tests create Northwind clients of their own; the demo's two are always there.
      const names: string[] = clients.clients.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(["Claims submission (production)", "Claims submission (sandbox)"]));
      production = clients.clients.find((c: { name: string }) => c.name === "Claims submission (production)").clientId;
      const res = await request.get(`/api/v1/clients/${production}/secrets`, { headers: auth });
      expect(res.status()).toBe(200);
      const { secrets } = await res.json();
      expect(secrets.filter((s: { state: string }) => s.state === "in_overlap")).toHaveLength(2);
      expect(JSON.stringify(secrets)).not.toMatch(/rtr_cs_/);
      expect((await request.get("/api/v1/clients/NoSuchClient123/secrets", { headers: auth })).status()).toBe(404);
    });

    test("a read-only token reads but may not rotate: 403 insufficient_scope, and nothing changes", async ({ page, request }) => {
      await signInAs(page, people.northwindSpoc);
      await page.goto("/account");
      const section = page.getByRole("region", { name: "Personal API tokens" });
      await section.getByLabel("Token name").fill("read-only dashboard");
      await section.getByRole("button", { name: "Create token" }).click();
      const readOnly = await section.getByTestId("secret-value").inputValue();
      await page.reload();
      const row = page.getByRole("table", { name: "Your personal API tokens" }).getByRole("row").filter({ hasText: "read-only dashboard" });
      await expect(row).toContainText("Read only");
      const auth = { authorization: `Bearer ${readOnly}` };
      const ids = async () =>
        ((await (await request.get(`/api/v1/clients/${production}/secrets`, { headers: auth })).json()).secrets as { id: string }[]).map(
          (x) => x.id,
        );
      const before = await ids();
      const rotate = await request.post(`/api/v1/clients/${production}/secrets`, { headers: auth, data: {} });
      expect(rotate.status()).toBe(403);
      expect(rotate.headers()["www-authenticate"]).toBe('Bearer realm="rotor-management", error="insufficient_scope", scope="rotate"');
      expect(await rotate.json()).toEqual({
        type: "about:blank",
        title: "Forbidden",
        status: 403,
        detail: "This token is read-only. Create a token with the read and rotate scope in Account Management to change credentials.",
      });
      expect(await ids()).toEqual(before);
    });

    test("rotation follows the same rules as the portal: a third live secret is a 409 that says what to do", async ({ request }) => {
      const res = await request.post(`/api/v1/clients/${production}/secrets`, { headers: { authorization: `Bearer ${token}` }, data: {} });
      expect(res.status()).toBe(409);
      expect((await res.json()).detail).toMatch(/two live secrets/);
    });

    test("revokes the old secret, then rotates once per Idempotency-Key however often the call is retried", async ({ request }) => {
      const auth = { authorization: `Bearer ${token}` };
      const { secrets } = await (await request.get(`/api/v1/clients/${production}/secrets`, { headers: auth })).json();
      const oldest = secrets[secrets.length - 1];
      // The demo's old secret was used minutes ago and its successor never: the client ID is asked for.
      const unconfirmed = await request.post(`/api/v1/clients/${production}/secrets/${oldest.id}/revoke`, {
        headers: auth,
        data: { reason: "systems moved" },
      });
      expect(unconfirmed.status()).toBe(422);
      expect((await unconfirmed.json()).errors).toEqual([
        {
          field: "confirmClientId",
          message: `This secret was used in the last 24 hours and the new secret has never been used, so your systems probably still use this one. Type the client ID ${production} to revoke it anyway.`,
        },
      ]);
      const revoked = await request.post(`/api/v1/clients/${production}/secrets/${oldest.id}/revoke`, {
        headers: auth,
        data: { reason: "systems moved", confirmClientId: production },
      });
      expect(revoked.status()).toBe(200);

      const key = `retry-${Date.now()}`;
      const first = await request.post(`/api/v1/clients/${production}/secrets`, { headers: { ...auth, "idempotency-key": key }, data: {} });
      expect(first.status()).toBe(201);
      const issued = await first.json();
      expect(issued.value).toMatch(/^rtr_cs_/);
      expect(issued.secret.maskedValue.endsWith(issued.value.slice(-4))).toBe(true);

      const again = await request.post(`/api/v1/clients/${production}/secrets`, { headers: { ...auth, "idempotency-key": key }, data: {} });
      expect(again.status()).toBe(201);
      expect(again.headers()["idempotent-replayed"]).toBe("true");
      expect((await again.json()).secret.id).toBe(issued.secret.id);

      const other = await request.post(`/api/v1/clients/${production}/secrets`, {
        headers: { ...auth, "idempotency-key": key },
        data: { compromised: true },
      });
      expect(other.status()).toBe(422);
      expect((await other.json()).detail).toMatch(/different request/);

      const value = await request.get(`/api/v1/clients/${production}/secrets/${issued.secret.id}/value`, { headers: auth });
      expect((await value.json()).value).toBe(issued.value);
    });

    test("registers and revokes public keys; a private key or bad JSON is refused with the reason", async ({ request }) => {
      const auth = { authorization: `Bearer ${token}` };
      const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const refused = await request.post(`/api/v1/clients/${production}/keys`, {
        headers: auth,
        data: { key: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
      });
      expect(refused.status()).toBe(422);
      expect((await refused.json()).detail).toMatch(/This is a private key/);

      // Raw bytes through fetch: Playwright's request client would JSON-encode a string body.
      const badJson = await fetch(`${test.info().project.use.baseURL}/api/v1/clients/${production}/keys`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: "{oops",
      });
      expect(badJson.status).toBe(400);
      expect((await badJson.json()).detail).toBe("The body is not valid JSON.");

      const missing = await request.post(`/api/v1/clients/${production}/keys`, { headers: auth, data: {} });
      expect(missing.status()).toBe(422);
      expect((await missing.json()).errors[0].field).toBe("key");

      const created = await request.post(`/api/v1/clients/${production}/keys`, {
        headers: auth,
        data: { key: pair.publicKey.export({ type: "spki", format: "pem" }).toString(), kid: "ci-2026" },
      });
      expect(created.status()).toBe(201);
      const key = await created.json();
      expect(key).toMatchObject({ kid: "ci-2026", bits: 2048, state: "active" });
      const revoked = await request.post(`/api/v1/clients/${production}/keys/${key.id}/revoke`, { headers: auth });
      expect(revoked.status()).toBe(200);
      const { keys } = await (await request.get(`/api/v1/clients/${production}/keys`, { headers: auth })).json();
      expect(keys.find((k: { id: string }) => k.id === key.id).state).toBe("revoked");
    });

    test("the API's changes appear in the portal's activity list under the token's name", async ({ page }) => {
      await signInAs(page, people.northwindAdmin);
      await page.goto("/orgs/northwind/manage/api");
      await expect(page.getByRole("list", { name: "Recent activity" })).toContainText('(API token "rotation pipeline")');
    });

    test("a revoked token stops working at once", async ({ page, request }) => {
      await signInAs(page, people.northwindSpoc);
      await page.goto("/account");
      const row = page.getByRole("table", { name: "Your personal API tokens" }).getByRole("row").filter({ hasText: "rotation pipeline" });
      await row.getByRole("button", { name: "Revoke" }).click();
      await row.getByRole("button", { name: "Yes, revoke it" }).click();
      await expect(row).toContainText("Revoked");
      expect((await request.get("/api/v1/clients", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
    });
  });

test("the platform operator's token from the Platform area creates, changes, disables and enables a client; the token endpoint follows", {
  lock: "northwind-client-list",
}, async ({ page, browser, request }) => {
  await signInAs(page, people.operator);
  await page.goto("/platform");
  const section = page.getByRole("region", { name: "Your platform API tokens" });
  await section.getByLabel("Token name").fill("onboarding pipeline");
  await section.getByRole("button", { name: "Create platform token" }).click();
  await expect(section.getByText("Copy it now: it will not be shown again.")).toBeVisible();
  const operator = { authorization: `Bearer ${await section.getByTestId("secret-value").inputValue()}` };
  const clients = "/api/v1/organisations/northwind/clients";

  const name = `Platform API client ${Date.now()}`;
  const created = await request.post(clients, { headers: operator, data: { name, scopes: ["claims:read"], tokenTtlSeconds: 30 } });
  expect({ status: created.status(), body: await created.json() }).toMatchObject({
    status: 422,
    body: { errors: [{ field: "tokenTtlSeconds", message: "Access tokens live at least 60 seconds." }] },
  });
  const made = await request.post(clients, { headers: operator, data: { name, scopes: ["claims:read"], tokenTtlSeconds: 600 } });
  expect(made.status()).toBe(201);
  const client = await made.json();
  const patched = await request.patch(`${clients}/${client.clientId}`, { headers: operator, data: { tokenTtlSeconds: 900 } });
  expect(await patched.json()).toEqual({ ...client, accessTokenLifetimeSeconds: 900 });

  // Its designated user issues the first secret; their token may not manage clients.
  const spoc = await createToken(await browser.newPage(), "first secret");
  const refused = await request.post(`${clients}/${client.clientId}/disable`, { headers: { authorization: `Bearer ${spoc}` } });
  expect(refused.status()).toBe(403);
  const rotated = await request.post(`/api/v1/clients/${client.clientId}/secrets`, {
    headers: { authorization: `Bearer ${spoc}` },
    data: {},
  });
  expect(rotated.status()).toBe(201);
  const { value: secret } = await rotated.json();
  const ask = async () => {
    const res = await request.post("/oauth/token", {
      form: { grant_type: "client_credentials", client_id: client.clientId, client_secret: secret },
    });
    return { status: res.status(), body: await res.json() };
  };
  expect(await ask()).toMatchObject({ status: 200, body: { token_type: "Bearer", expires_in: 900, scope: "claims:read" } });

  expect((await request.post(`${clients}/${client.clientId}/disable`, { headers: operator })).status()).toBe(200);
  expect(await ask()).toEqual({ status: 401, body: { error: "invalid_client", error_description: "Client authentication failed." } });
  expect((await request.post(`${clients}/${client.clientId}/enable`, { headers: operator })).status()).toBe(200);
  expect((await ask()).status).toBe(200);
});
