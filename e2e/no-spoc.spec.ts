import { expect, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

// Contoso Health (db/seed.ts) has no designated user yet; nothing here changes it.

test("Home and the API tab of an organisation without a designated user alert that nobody can rotate, and say what to do", async ({
  page,
}) => {
  await signInAs(page, people.twoOrganisations);
  for (const path of ["/orgs/contoso", "/orgs/contoso/manage/api"]) {
    await page.goto(path);
    // The page's alert, not Next's (empty) route announcer, which also has the role.
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toHaveText(
      "Nobody can rotate secrets: Contoso Health has no designated user (SPOC)." +
        "Secrets and keys are changed only by the designated user. Ask the platform operator to designate one.",
    );
  }
});

test("an organisation with a designated user shows no such alert", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  for (const path of ["/orgs/northwind", "/orgs/northwind/manage/api"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText("Nobody can rotate secrets")).toHaveCount(0);
  }
});
