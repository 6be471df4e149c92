import { expect, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

// Read-only: switching organisation changes nothing.

test("a person in two organisations switches from a tab to the same tab where their role allows it, else to Home", async ({ page }) => {
  await signInAs(page, people.twoOrganisations);
  await page.goto("/orgs/contoso/manage/offices");
  const switcher = page.getByRole("group").filter({ hasText: "Switch organisation" });
  await page.getByText("Switch organisation").click();
  await expect(switcher.getByRole("listitem")).toHaveText(["Contoso Health (current)", "Northwind Insurance"]);
  // A member of Northwind may see its offices: the same tab.
  await switcher.getByRole("link", { name: "Northwind Insurance" }).click();
  await expect(page).toHaveURL(/\/orgs\/northwind\/manage\/offices$/);
  await expect(page.getByRole("table", { name: "Offices of Northwind Insurance" })).toBeVisible();

  // By keyboard, from Contoso's Active users, which a member of Northwind may not see: its Home.
  await page.goto("/orgs/contoso/manage/active-users");
  await page.getByText("Switch organisation").focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Northwind Insurance" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/orgs\/northwind$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ravi");
});

test("someone in one organisation has no switcher", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind");
  await expect(page.getByText("Welcome, Alice")).toBeVisible();
  await expect(page.getByText("Switch organisation")).toHaveCount(0);
});
