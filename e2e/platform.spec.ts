import { expect, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

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

    test("the operator designates a new SPOC; the previous one stays as a member, and their API token stops working at once", async ({
      page,
      request,
    }) => {
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
