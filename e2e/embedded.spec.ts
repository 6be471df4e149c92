import { expect, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

// Runs against a server started on an empty PGlite folder: it migrated and seeded on its own.
test("the embedded database serves the demo: sign in and see two masked secrets on the API tab", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.getByRole("link", { name: "API details", exact: true }).click();
  const client = page.getByRole("article").filter({ hasText: "Claims submission (production)" });
  await expect(client.getByTestId("masked-secret")).toHaveCount(2);
  await expect(client.getByTestId("expiry-date").first()).toHaveText(/^\d{2}\/\d{2}\/\d{4}$/);
});
