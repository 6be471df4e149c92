import { expect, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

// Changes Finvu's offices and people, so it runs in the "changes" project, after the read-only
// specs. Each test stands alone; those that change or check Finvu's people take turns with the
// other specs that do (the "finvu-people" lock), and the invitation's role list, which follows
// a platform setting, with the spec that changes it (the "platform-settings" lock).

test("an admin adds an office (a bad postcode is refused with the reason), edits it, closes and reopens it", async ({ page }) => {
  await signInAs(page, people.finvuAdmin);
  await page.goto("/orgs/finvu/manage/offices");
  await page.getByText("Add an office").click();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add office" }) });
  await form.getByLabel("Office name").fill("Chennai operations");
  await form.getByLabel("Address line 1").fill("12 Anna Salai");
  await form.getByLabel("Town or city").fill("Chennai");
  await form.getByLabel("Postcode").fill("!!");
  await form.getByLabel("Country code").fill("IN");
  await form.getByRole("button", { name: "Add office" }).click();
  await expect(form.getByText("That does not look like a postcode")).toBeVisible();
  await expect(form.getByLabel("Postcode")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Postcode").fill("600002");
  await form.getByRole("button", { name: "Add office" }).click();
  await expect(form.getByRole("status")).toHaveText("Chennai operations added.");

  const table = page.getByRole("table", { name: "Offices of Finvu Data Services" });
  const row = table.getByRole("row").filter({ hasText: "Chennai operations" });
  await expect(row).toContainText("12 Anna Salai, Chennai, 600002, IN");
  await row.getByText("Edit").click();
  await row.getByLabel("Office name").fill("Chennai operations centre");
  await row.getByRole("button", { name: "Save office" }).click();
  const renamed = table.getByRole("row").filter({ hasText: "Chennai operations centre" });
  await expect(renamed).toBeVisible();
  await renamed.getByRole("button", { name: "Close office" }).click();
  await renamed.getByRole("button", { name: "Yes, close it" }).click();
  await expect(renamed).toContainText("Closed");
  await renamed.getByRole("button", { name: "Reopen" }).click();
  await expect(renamed).toContainText("Open");
});

test("an admin invites a member into an office and changes a role; the designated user is the platform operator's to choose", {
  lock: ["finvu-people", "platform-settings"],
}, async ({ page }) => {
  await signInAs(page, people.finvuAdmin);
  await page.goto("/orgs/finvu/manage/active-users");
  await page.getByText("Invite a user").click();
  await expect(page.getByLabel("Role", { exact: true }).locator("option")).toHaveText(["Organisation admin", "Member"]);
  await page.getByLabel("E-mail address").fill("not-an-address");
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText("That is not a valid e-mail address.")).toBeVisible();
  await page.getByLabel("E-mail address").fill("Neha.New@finvu.example");
  await page.getByLabel("Name (optional)").fill("Neha Nair");
  await page.getByLabel("Office (optional)").selectOption({ label: "Mumbai head office" });
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText("neha.new@finvu.example invited.")).toBeVisible();
  const table = page.getByRole("table", { name: "Active users of Finvu Data Services" });
  const neha = table.getByRole("row").filter({ hasText: "Neha Nair" });
  await expect(neha).toBeVisible();
  await expect(neha.getByLabel("Office of Neha Nair").locator("option:checked")).toHaveText("Mumbai head office");
  await neha.getByLabel("Role of Neha Nair").selectOption("admin");
  await neha.getByRole("button", { name: "Save role" }).click();
  await expect(neha.getByText("Role changed.")).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "Priya Raman" })).toContainText("You");
});

test("de-activating a person signs them out at once; re-activating brings them back", { lock: "finvu-people" }, async ({ browser }) => {
  const arjun = await browser.newPage();
  await signInAs(arjun, "Arjun Mehta");
  await arjun.goto("/orgs/finvu/manage/offices");
  await expect(arjun.getByRole("heading", { name: "Offices" })).toBeVisible();

  const admin = await browser.newPage();
  await signInAs(admin, people.finvuAdmin);
  await admin.goto("/orgs/finvu/manage/active-users");
  const row = admin.getByRole("table", { name: "Active users of Finvu Data Services" }).getByRole("row").filter({ hasText: "Arjun Mehta" });
  await row.getByRole("button", { name: "De-activate" }).click();
  await row.getByRole("button", { name: "Yes, de-activate" }).click();
  await expect(admin.getByRole("table", { name: "Active users of Finvu Data Services" })).not.toContainText("Arjun Mehta");

  await arjun.goto("/orgs/finvu/manage/offices");
  await expect(arjun).toHaveURL(/\/signin/);

  await admin.getByRole("link", { name: "De-activated users" }).click();
  const gone = admin
    .getByRole("table", { name: "De-activated users of Finvu Data Services" })
    .getByRole("row")
    .filter({ hasText: "Arjun Mehta" });
  await expect(gone).toContainText(people.finvuAdmin);
  await gone.getByRole("button", { name: "Re-activate" }).click();
  await expect(admin.getByRole("table", { name: "De-activated users of Finvu Data Services" })).not.toContainText("Arjun Mehta");
  await admin.getByRole("link", { name: "Active users" }).click();
  await expect(admin.getByRole("table", { name: "Active users of Finvu Data Services" })).toContainText("Arjun Mehta");
});

test("the designated user sees people and offices but cannot change them", async ({ page }) => {
  await signInAs(page, "Finvu secret rotation (SPOC)");
  await page.goto("/orgs/finvu/manage/active-users");
  await expect(page.getByText("Invite a user")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "De-activate" })).toHaveCount(0);
  await page.goto("/orgs/finvu/manage/offices");
  await expect(page.getByText("Add an office")).toHaveCount(0);
});

test("an admin cannot de-activate the only designated user: the refusal says what to do, and nothing changes", {
  lock: ["finvu-people", "platform-settings"],
}, async ({ page }) => {
  await signInAs(page, people.finvuAdmin);
  await page.goto("/orgs/finvu/manage/active-users");
  const table = page.getByRole("table", { name: "Active users of Finvu Data Services" });
  const spoc = table.getByRole("row").filter({ hasText: "Finvu secret rotation (SPOC)" });
  await spoc.getByRole("button", { name: "De-activate" }).click();
  await spoc.getByRole("button", { name: "Yes, de-activate" }).click();
  await expect(spoc.getByRole("alert")).toContainText(
    "only designated user (SPOC); without one nobody can rotate secrets. Ask the platform operator to designate a new designated user first.",
  );
  await page.reload();
  await expect(table.getByRole("row").filter({ hasText: "Finvu secret rotation (SPOC)" })).toContainText("Designated user (SPOC)");
});

test("the people tabs search by name or e-mail and role, in the address, with a way back from an empty result", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/manage/active-users");
  const table = page.getByRole("table", { name: "Active users of Northwind Insurance" });
  const search = page.getByRole("search", { name: "Search people" });
  await search.getByLabel("Name or e-mail").fill("MAHMOOD");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]q=MAHMOOD/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("Mo Mahmood");
  await search.getByLabel("Name or e-mail").fill("nobody-at-all");
  await search.getByLabel("Filter by role").selectOption("admin");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("Nobody matches your search.")).toBeVisible();
  await page.goBack();
  await expect(table).toContainText("Mo Mahmood");
  await page.getByRole("link", { name: "Clear search" }).click();
  await expect(page).toHaveURL(/\/manage\/active-users$/);
  await expect(table).toContainText("Alice Adeyemi");
  // A bad parameter falls back to the default, never an error page.
  await page.goto("/orgs/northwind/manage/deactivated-users?role=owner&page=-3&q=");
  await expect(page.getByRole("table", { name: "De-activated users of Northwind Insurance" })).toContainText("Dave Doyle");
});

test("an admin places a person in an office by keyboard, and the list shows it; clearing it leaves no office", {
  lock: "finvu-people",
}, async ({ page }) => {
  await signInAs(page, people.finvuAdmin);
  await page.goto("/orgs/finvu/manage/active-users");
  const table = page.getByRole("table", { name: "Active users of Finvu Data Services" });
  const arjun = table.getByRole("row").filter({ hasText: "Arjun Mehta" });
  const office = arjun.getByLabel("Office of Arjun Mehta");
  // Finvu's open offices (another test may have added one), after the choice of none.
  await expect(office.locator("option").first()).toHaveText("No office");
  await expect(office.locator("option", { hasText: "Bengaluru engineering" })).toHaveCount(1);
  await office.focus();
  await page.keyboard.type("Bengaluru");
  await page.keyboard.press("Tab");
  await expect(arjun.getByRole("button", { name: "Save office" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(arjun.getByRole("status")).toHaveText("Office saved.");
  await page.reload();
  await expect(office).toHaveValue(/.+/);
  await expect(office.locator("option:checked")).toHaveText("Bengaluru engineering");

  await office.focus();
  await page.keyboard.type("No office");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(arjun.getByRole("status")).toHaveText("Office saved.");
  await page.reload();
  await expect(office.locator("option:checked")).toHaveText("No office");
});
