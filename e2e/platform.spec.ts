import { expect, test } from "@playwright/test";
import { people, signInAs, switchClientInPortal } from "./helpers";

// Adds an organisation and edits the platform limits: runs in the "changes" project.

// Designating a new SPOC needs the organisation the onboarding test creates: these two run in order.
test.describe
  .serial("onboarding an organisation, then changing its designated user", () => {
    test("the operator onboards an organisation with its first admin and designated user; mistakes are explained and kept", async ({
      page,
    }) => {
      await signInAs(page, people.operator);
      await page.getByText("Onboard an organisation").click();
      const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Onboard organisation" }) });
      await form.getByLabel("Name", { exact: true }).fill("Contoso Claims");
      await form.getByLabel("Time zone").fill("Europe/Atlantis");
      await form.getByLabel("Admin's e-mail address").fill("chloe.admin@contoso.example");
      await form.getByLabel("Admin's name (optional)").fill("Chloé Martin");
      await form.getByLabel("Designated user's e-mail address").fill("chloe.admin@contoso.example");
      await form.getByRole("button", { name: "Onboard organisation" }).click();
      await expect(form.getByText("Use an IANA time zone such as Europe/London or Asia/Kolkata.")).toBeVisible();
      await expect(form.getByLabel("Admin's name (optional)")).toHaveValue("Chloé Martin");

      await form.getByLabel("Time zone").fill("Europe/Paris");
      await form.getByRole("button", { name: "Onboard organisation" }).click();
      await expect(form.getByRole("alert").filter({ hasText: "different person" })).toBeVisible();

      await form.getByLabel("Designated user's e-mail address").fill("api@contoso.example");
      await form.getByRole("button", { name: "Onboard organisation" }).click();
      await expect(form.getByRole("status")).toContainText("Contoso Claims is onboarded");
      const row = page.getByRole("table", { name: "Onboarded organisations" }).getByRole("row").filter({ hasText: "Contoso Claims" });
      await expect(row).toContainText("contoso-claims");
      await expect(row).toContainText("Europe/Paris");

      const admin = await page.context().browser()!.newPage();
      await signInAs(admin, "Chloé Martin");
      await expect(admin).toHaveURL(/\/orgs\/contoso-claims$/);
      await admin.goto("/orgs/contoso-claims/manage/active-users");
      await expect(admin.getByRole("table", { name: "Active users of Contoso Claims" })).toContainText("api@contoso.example");
    });

    // The Active users tab it reads shows a hand-over choice only while admins may designate, a
    // platform setting the limits test switches: they take turns.
    test("the operator designates a new SPOC; the previous one stays as a member, and their API token stops working at once", {
      lock: "platform-settings",
    }, async ({ page, request }) => {
      // The designated user makes a read-only token and can list the organisation's clients with it.
      const spoc = await page.context().browser()!.newPage();
      await signInAs(spoc, "api@contoso.example");
      await spoc.goto("/account");
      const tokens = spoc.getByRole("region", { name: "Personal API tokens" });
      await tokens.getByLabel("Token name").fill("contoso pipeline");
      await tokens.getByRole("button", { name: "Create token" }).click();
      const token = await tokens.getByTestId("secret-value").inputValue();
      const auth = { authorization: `Bearer ${token}` };
      expect((await request.get("/api/v1/clients", { headers: auth })).status()).toBe(200);

      await signInAs(page, people.operator);
      const row = page.getByRole("table", { name: "Onboarded organisations" }).getByRole("row").filter({ hasText: "Contoso Claims" });
      await expect(row.getByTestId("spoc")).toHaveText("api@contoso.example");
      await row.getByLabel("New designated user of Contoso Claims").fill("chloe.admin@contoso.example");
      await row.getByRole("button", { name: "Designate" }).click();
      await expect(row.getByText("last active admin")).toBeVisible();
      await row.getByLabel("New designated user of Contoso Claims").fill("integration@contoso.example");
      await row.getByRole("button", { name: "Designate" }).click();
      await expect(row.getByTestId("spoc")).toHaveText("integration@contoso.example");
      // The former designated user's token lists nothing any more.
      const refused = await request.get("/api/v1/clients", { headers: auth });
      expect(refused.status()).toBe(401);
      expect(refused.headers()["www-authenticate"]).toContain('error="invalid_token"');

      const admin = await page.context().browser()!.newPage();
      await signInAs(admin, "Chloé Martin");
      await admin.goto("/orgs/contoso-claims/manage/active-users");
      const table = admin.getByRole("table", { name: "Active users of Contoso Claims" });
      await expect(table.getByRole("row").filter({ hasText: "integration@contoso.example" })).toContainText("Designated user (SPOC)");
      await expect(table.getByRole("row").filter({ hasText: "api@contoso.example" })).toContainText("Member");
    });
  });

// Platform settings are one for everyone: other specs that depend on them take turns with this one.
test("the operator sets the platform limits, and cannot set a maximum below what organisations already use", {
  lock: "platform-settings",
}, async ({ page }) => {
  await signInAs(page, people.operator);
  const limits = page.getByRole("region", { name: "Platform limits" });
  await limits.getByLabel("Maximum secret validity (days)").fill("100");
  await limits.getByRole("button", { name: "Save limits" }).click();
  await expect(limits.getByRole("alert").filter({ hasText: "already use" })).toContainText("Northwind Insurance (180 days)");
  await expect(limits.getByLabel("Maximum secret validity (days)")).toHaveValue("100");

  await limits.getByLabel("Maximum secret validity (days)").fill("365");
  await limits.getByLabel("Allowed audiences").fill("https://api.claims-exchange.example/, not a uri");
  await limits.getByRole("button", { name: "Save limits" }).click();
  await expect(limits.getByText("Each audience is an absolute URI without a fragment").first()).toBeVisible();

  await limits.getByLabel("Allowed audiences").fill("https://api.claims-exchange.example/, https://sandbox.claims-exchange.example/");
  await limits.getByLabel("Organisation admins may designate their own designated user (SPOC)").check();
  await limits.getByRole("button", { name: "Save limits" }).click();
  await expect(limits.getByRole("status")).toHaveText("Platform limits saved.");
  await page.reload();
  await expect(limits.getByLabel("Organisation admins may designate their own designated user (SPOC)")).toBeChecked();
  await limits.getByLabel("Organisation admins may designate their own designated user (SPOC)").uncheck();
  await limits.getByRole("button", { name: "Save limits" }).click();
  await expect(limits.getByRole("status")).toHaveText("Platform limits saved.");
});

test("an organisation admin cannot reach the operator's area", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  expect((await page.goto("/platform"))?.status()).toBe(404);
});

// Audiences are checked against the platform's allowed list, which the limits test changes.
test("the operator creates a client, edits its scopes, disables it and enables it again; the token endpoint follows each step", {
  lock: "platform-settings",
}, async ({ page, baseURL }) => {
  const name = `Portal client ${Date.now()}`;
  await signInAs(page, people.operator);
  await page.getByRole("link", { name: /^Clients/ }).click();
  const form = page.getByRole("region", { name: "Create a client" });
  await form.getByLabel("Organisation").selectOption({ label: "Northwind Insurance" });
  await form.getByLabel("Client name").fill(name);
  await form.getByLabel("Audiences (optional)").fill("https://api.claims-exchange.example/ https://sandbox.claims-exchange.example/");
  await form.getByLabel("Access-token lifetime (seconds)").fill("30");
  await form.getByRole("button", { name: "Create client" }).click();
  // Refused with the reason beside the field, the focus on it, and what was typed kept.
  await expect(form.getByLabel("Access-token lifetime (seconds)")).toBeFocused();
  await expect(form.getByText("Access tokens live at least 60 seconds.")).toBeVisible();
  await expect(form.getByLabel("Client name")).toHaveValue(name);
  await form.getByLabel("Access-token lifetime (seconds)").fill("600");
  await form.getByRole("button", { name: "Create client" }).click();
  // Several audiences and no default: never picked silently.
  await expect(form.getByLabel("Default audience (optional)")).toBeFocused();
  await expect(form.getByText("Choose the default audience among")).toBeVisible();
  await form.getByLabel("Default audience (optional)").fill("https://sandbox.claims-exchange.example/");
  await form.getByLabel("Scopes (optional)").fill("claims:read");
  await form.getByRole("button", { name: "Create client" }).click();
  await expect(form.getByRole("status")).toContainText(`"${name}" for Northwind Insurance`);
  const clientId = /Created client (\S+)/.exec((await form.getByRole("status").textContent()) ?? "")![1]!;

  // The designated user issues its first secret with the management API.
  const spoc = await page.context().browser()!.newPage();
  await signInAs(spoc, people.northwindSpoc);
  await spoc.goto("/account");
  const tokens = spoc.getByRole("region", { name: "Personal API tokens" });
  await tokens.getByLabel("Token name").fill(`portal client ${Date.now()}`);
  await tokens.getByLabel(/Read and rotate/).check();
  await tokens.getByRole("button", { name: "Create token" }).click();
  const apiToken = await tokens.getByTestId("secret-value").inputValue();
  const rotated = await fetch(`${baseURL}/api/v1/clients/${clientId}/secrets`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(rotated.status).toBe(201);
  const { value: secret } = await rotated.json();
  const ask = async () => {
    const res = await fetch(`${baseURL}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
    });
    return { status: res.status, body: await res.json() };
  };
  const first = await ask();
  expect([first.status, first.body.scope, first.body.expires_in]).toEqual([200, "claims:read", 600]);
  const aud = (t: string) => JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()).aud;
  expect(aud(first.body.access_token)).toBe("https://sandbox.claims-exchange.example/");

  await page.getByRole("link", { name }).click();
  const settings = page.getByRole("region", { name: "Change its settings" });
  await settings.getByLabel("Scopes (optional)").fill("claims:read claims:write");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Settings saved. The token endpoint uses them from the next request.");
  expect((await ask()).body.scope).toBe("claims:read claims:write");

  await switchClientInPortal(page, clientId, "disable");
  expect(await ask()).toEqual({ status: 401, body: { error: "invalid_client", error_description: "Client authentication failed." } });
  // The designated user sees on the API tab that the client is disabled, and since when; and its settings.
  await spoc.goto("/orgs/northwind/manage/api");
  const article = spoc.getByRole("article").filter({ hasText: name });
  await expect(article.getByTestId("client-status")).toContainText("Disabled since");
  await expect(article.getByTestId("client-audiences").getByRole("listitem")).toHaveText([
    "https://api.claims-exchange.example/",
    "https://sandbox.claims-exchange.example/ (default)",
  ]);
  await expect(article.getByTestId("client-token-settings")).toHaveText("valid 600 seconds, signed ES256");

  await switchClientInPortal(page, clientId, "enable");
  expect((await ask()).status).toBe(200);
});
