import { expect, test } from "@playwright/test";
import { dayNumber, people, signInAs, todayIn } from "./helpers";

test.describe("an organisation admin in the portal", () => {
  test.beforeEach(async ({ page }) => {
    await signInAs(page, people.northwindAdmin);
  });

  test("lands on Home, which shows each client's credential health", { lock: "northwind-sandbox" }, async ({ page }) => {
    await expect(page).toHaveURL(/\/orgs\/northwind$/);
    const before = todayIn("Europe/London");
    await page.reload();
    await expect(page.getByRole("heading", { name: "Credential health" })).toBeVisible();
    const production = page.getByTestId("health-card").filter({ hasText: "Claims submission (production)" });
    await expect(production).toContainText("New secret waiting to be adopted");
    const daysLeft = Number(/Current secret expires in (\d+) days/.exec((await production.textContent()) ?? "")?.[1]);
    const after = todayIn("Europe/London");
    await expect(page.getByTestId("health-card").filter({ hasText: "sandbox" })).toContainText("Healthy");
    // The demo's current secret expires 20 days after the day the server started; counted from
    // the expiry date itself, so a run that passes midnight in London (19 days left) still agrees.
    await page.goto("/orgs/northwind/manage/api");
    const client = page.getByRole("article").filter({ hasText: "Claims submission (production)" });
    const expiry = dayNumber((await client.getByTestId("expiry-date").first().textContent()) ?? "");
    expect([expiry - before, expiry - after]).toContain(daysLeft);
    expect(daysLeft).toBeGreaterThanOrEqual(19);
  });

  test("sees the header links and the Home and Manage navigation of seed 000", async ({ page }) => {
    const account = page.getByRole("navigation", { name: "Account" });
    for (const link of ["Dev Tools", "Account Management", "Manage Organisation"]) {
      await expect(account.getByRole("link", { name: link })).toBeVisible();
    }
    await expect(account.getByRole("button", { name: "Logout" })).toBeVisible();
    await expect(page.getByRole("link", { name: "API details", exact: true })).toBeVisible();
    const main = page.getByRole("navigation", { name: "Main" });
    await expect(main.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
    await main.getByRole("link", { name: "Manage" }).click();
    await expect(page).toHaveURL(/\/manage\/offices$/);
    const tabs = page.getByRole("navigation", { name: "Manage organisation" });
    // Seed 000's four tabs, then the audit log and webhooks (issue 15) for admins and the designated user.
    await expect(tabs.getByRole("link")).toHaveText(["Offices", "Active users", "De-activated users", "API", "Audit log", "Webhooks"]);
  });

  test("sees offices, open and closed", async ({ page }) => {
    await page.goto("/orgs/northwind/manage/offices");
    const rows = page.getByRole("table", { name: "Offices of Northwind Insurance" }).getByRole("row");
    await expect(rows.filter({ hasText: "London head office" })).toContainText("Open");
    await expect(rows.filter({ hasText: "Bristol office" })).toContainText("Closed");
  });

  test("sees active users with their roles, and de-activated users with who and when", async ({ page }) => {
    await page.goto("/orgs/northwind/manage/active-users");
    const active = page.getByRole("table", { name: "Active users of Northwind Insurance" });
    await expect(active.getByRole("row").filter({ hasText: people.northwindSpoc })).toContainText("Designated user (SPOC)");
    await expect(active.getByRole("row").filter({ hasText: people.northwindMember })).toContainText("Member");
    await expect(active).not.toContainText(people.northwindDeactivated);

    await page.getByRole("link", { name: "De-activated users" }).click();
    const gone = page.getByRole("table", { name: "De-activated users of Northwind Insurance" });
    const dave = gone.getByRole("row").filter({ hasText: people.northwindDeactivated });
    await expect(dave).toContainText(people.northwindAdmin);
    await expect(dave).toContainText(/\d{2}\/\d{2}\/\d{4}/);
  });

  test("sees API details: endpoint, client ID, and Current and New secrets masked with seed 000's dates", async ({ page }) => {
    await page.goto("/orgs/northwind/manage/api");
    await expect(page.getByRole("heading", { name: "API Details" })).toBeVisible();
    await expect(page.getByTestId("api-endpoint")).toHaveText(/^https?:\/\/.+/);
    const client = page.getByRole("article").filter({ hasText: "Claims submission (production)" });
    await expect(client.getByTestId("client-id")).toHaveText(/^[0-9A-Za-z]{20}$/);

    const rows = client.getByTestId("secret-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText("Current secret");
    await expect(rows.nth(1)).toContainText("New secret");
    for (const masked of await client.getByTestId("masked-secret").allTextContents()) {
      expect(masked).toMatch(/^•{12}[0-9A-Za-z]{4}$/);
    }

    const [currentCreated, newCreated] = (await client.getByTestId("created-date").allTextContents()).map(dayNumber);
    const [currentExpiry, newExpiry] = (await client.getByTestId("expiry-date").allTextContents()).map(dayNumber);
    // Seed 000: expiry = creation + 180 days; the new secret is created at old expiry - 30 days.
    expect(currentExpiry! - currentCreated!).toBe(180);
    expect(newExpiry! - newCreated!).toBe(180);
    expect(currentExpiry! - newCreated!).toBe(30);
    await expect(rows.nth(0)).toContainText("In overlap: both accepted");
  });

  test("never receives a secret value in the page, only the masked tail", async ({ page }) => {
    await page.goto("/orgs/northwind/manage/api");
    const html = await page.content();
    expect(html).not.toMatch(/rtr_cs_[0-9A-Za-z]{36}/);
  });

  test("sees only its own organisation's clients", async ({ page }) => {
    await page.goto("/orgs/northwind/manage/api");
    await expect(page.getByRole("article")).toHaveCount(2);
    await expect(page.getByText("Account aggregator gateway")).toHaveCount(0);
  });
});

test("the designated user of the Kolkata organisation sees its public key and dates in its own zone", async ({ page }) => {
  await signInAs(page, "Finvu secret rotation (SPOC)");
  await page.goto("/orgs/finvu/manage/api");
  const keys = page.getByRole("table", { name: "Public keys of Account aggregator gateway" });
  await expect(keys).toContainText("RSA 2048, RS256");
  await expect(page.getByText("Dates are in Asia/Kolkata")).toBeVisible();
});

test("the platform operator sees every organisation's credential health", async ({ page }) => {
  await signInAs(page, people.operator);
  await expect(page).toHaveURL(/\/platform$/);
  const table = page.getByRole("table", { name: /Every organisation's clients/ });
  await expect(table).toContainText("Northwind Insurance");
  await expect(table).toContainText("Finvu Data Services");
});

test("on a small screen, Home and Manage fold into a Menu that opens with the keyboard", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signInAs(page, people.northwindAdmin);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Manage" })).toBeHidden();
  await nav.getByText("Menu").focus();
  await page.keyboard.press("Enter");
  await nav.getByRole("link", { name: "Manage" }).click();
  await expect(page).toHaveURL(/\/manage\/offices$/);
});

test("the client ID and the endpoint copy to the clipboard, and the page says so only when they did", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/manage/api");
  const client = page.getByRole("article").filter({ hasText: "Claims submission (production)" });
  const clientId = (await client.getByTestId("client-id").textContent())?.trim();
  await client.getByRole("button", { name: "Copy client ID of Claims submission (production)" }).click();
  await expect(client.getByText("Copied.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);
  await page.getByRole("button", { name: "Copy API endpoint" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe((await page.getByTestId("api-endpoint").textContent())?.trim());
});

test("Home greets a service account with a neutral heading, never by its organisation's name", async ({ page }) => {
  await signInAs(page, people.northwindSpoc);
  await page.goto("/orgs/northwind");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome");
});
