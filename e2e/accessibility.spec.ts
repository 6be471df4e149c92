import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

/*
 * One page per test: a slow page on a loaded machine then costs one test its time, not the rest
 * of the list. An axe scan takes seconds under load, so each test gets a minute.
 */
test.describe.configure({ timeout: 60_000 });

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    label,
  ).toEqual([]);
}

const pages: { who: string | null; as: string; path: string }[] = [
  ...["/signin", "/signin/check-email", "/signin/error?error=Verification", "/signin/error"].map((path) => ({
    who: null,
    as: "anyone",
    path,
  })),
  ...[
    "/orgs/northwind",
    "/orgs/northwind/manage/offices",
    "/orgs/northwind/manage/active-users",
    "/orgs/northwind/manage/deactivated-users",
    "/orgs/northwind/manage/api",
    "/orgs/northwind/manage/audit-log",
    // The audit log's empty state for filters nothing matches.
    "/orgs/northwind/manage/audit-log?target=nothing-matches-this",
    // Webhooks: the endpoints (none in the demo: the empty state) and the form that adds one.
    "/orgs/northwind/manage/webhooks",
    "/orgs/northwind/dev-tools",
    "/account",
    // Step-up: the "confirm it's you" form a signed-in person meets before a dangerous action.
    "/signin?reauth=1&next=%2Forgs%2Fnorthwind%2Fmanage%2Fapi",
    // Another organisation's page: the not-found page an admin meets there.
    "/orgs/finvu",
  ].map((path) => ({ who: people.northwindAdmin, as: "an organisation admin", path })),
  // The member's Home, and the refusal page a member meets on the API tab.
  ...["/orgs/northwind", "/orgs/northwind/manage/api"].map((path) => ({ who: people.northwindMember, as: "a member", path })),
  ...["/platform", "/platform/clients", "/platform/audit-log", "/platform/webhooks"].map((path) => ({
    who: people.operator,
    as: "the platform operator",
    path,
  })),
  // Home of an organisation without a designated user (its alert), for a person in two organisations (the switcher).
  { who: people.twoOrganisations, as: "a person in two organisations", path: "/orgs/contoso" },
];

// Every page at a desktop width and a phone width: layouts differ (tables become cards, the menu folds).
for (const width of [1440, 390]) {
  for (const { who, as, path } of pages) {
    test(`${path}, as ${as}, at ${width} px, has no serious accessibility violation`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      if (who) await signInAs(page, who);
      await page.goto(path);
      await expectNoSeriousViolations(page, `${path} at ${width} px`);
    });
  }
}

// A client's page has its ID in the path: reached from the list, and scanned with the form's refusals showing too.
for (const width of [1440, 390]) {
  test(`a client's Platform page, as the platform operator, at ${width} px, has no serious accessibility violation`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, people.operator);
    await page.goto("/platform/clients");
    await page.getByRole("link", { name: "Claims submission (production)" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Claims submission (production)");
    await expectNoSeriousViolations(page, `client page at ${width} px`);
    const settings = page.getByRole("region", { name: "Change its settings" });
    await settings.getByLabel("Access-token lifetime (seconds)").fill("5");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect(settings.getByLabel("Access-token lifetime (seconds)")).toBeFocused();
    await expectNoSeriousViolations(page, `client page with a refusal at ${width} px`);
  });
}

test("the small-screen menu has no serious accessibility violation when open", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signInAs(page, people.finvuAdmin);
  await page.getByText("Menu").click();
  await expectNoSeriousViolations(page, "menu open");
});

for (const width of [1440, 390]) {
  test(`the organisation switcher has no serious accessibility violation when open, at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, people.twoOrganisations);
    await page.goto("/orgs/contoso/manage/api");
    await page.getByText("Switch organisation").click();
    await expect(page.getByRole("link", { name: "Northwind Insurance" })).toBeVisible();
    await expectNoSeriousViolations(page, "switcher open");
  });
}

for (const width of [1440, 390]) {
  test(`the rotate dialog has no serious accessibility violation at ${width} px, with each of its choices open`, {
    lock: "northwind-sandbox",
  }, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, people.northwindSpoc);
    await page.goto("/orgs/northwind/manage/api");
    // The sandbox client has one live secret, so every choice is offered (nothing is submitted).
    const client = page.getByRole("article").filter({ hasText: "Claims submission (sandbox)" });
    await client.getByRole("button", { name: /^Rotate secret/ }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate the secret of Claims submission (sandbox)" });
    await expect(dialog).toBeVisible();
    await expectNoSeriousViolations(page, "rotate dialog");
    for (const choice of ["Until a day I choose", "Revoke it now, because it leaked"]) {
      await dialog.getByRole("radio", { name: choice }).check();
      await expectNoSeriousViolations(page, `rotate dialog: ${choice}`);
    }
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
  });
}
