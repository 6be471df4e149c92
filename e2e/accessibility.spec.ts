import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    label,
  ).toEqual([]);
}

test("the sign-in pages have no serious accessibility violation", async ({ page }) => {
  for (const path of ["/signin", "/signin/check-email", "/signin/error?error=Verification", "/signin/error"]) {
    await page.goto(path);
    await expectNoSeriousViolations(page, path);
  }
});

test("every organisation page an admin sees has no serious accessibility violation", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  for (const path of [
    "/orgs/northwind",
    "/orgs/northwind/manage/offices",
    "/orgs/northwind/manage/active-users",
    "/orgs/northwind/manage/deactivated-users",
    "/orgs/northwind/manage/api",
    "/orgs/northwind/dev-tools",
    "/account",
    "/orgs/finvu",
  ]) {
    await page.goto(path);
    await expectNoSeriousViolations(page, path);
  }
});

test("the member's pages, the refusal page and the operator's page have no serious accessibility violation", async ({ page }) => {
  await signInAs(page, people.northwindMember);
  for (const path of ["/orgs/northwind", "/orgs/northwind/manage/api"]) {
    await page.goto(path);
    await expectNoSeriousViolations(page, path);
  }
  await page.goto("/orgs/northwind");
  await page.getByRole("button", { name: "Logout" }).click();
  await signInAs(page, people.operator);
  await expectNoSeriousViolations(page, "/platform");
});

test("the small-screen menu has no serious accessibility violation when open", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signInAs(page, people.finvuAdmin);
  await page.getByText("Menu").click();
  await expectNoSeriousViolations(page, "menu open");
});
