import { expect, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

test("each Dev Tools snippet copies to the clipboard by a button naming it, which says Copied only when it did", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/dev-tools");
  const names = ["Copy the curl token request", "Copy the Node.js private_key_jwt example", "Copy the curl rotation request"];
  for (const name of names) {
    const button = page.getByRole("button", { name, exact: true });
    await button.click();
    await expect(button.locator("xpath=following-sibling::span[1]")).toHaveText("Copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      await button.locator("xpath=ancestor::div[1]/following-sibling::pre[1]").textContent(),
    );
  }
});

test("a Dev Tools copy button says how to copy by hand when the clipboard refuses", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/dev-tools");
  await page.evaluate(() => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new Error("denied")) } });
  });
  const button = page.getByRole("button", { name: "Copy the curl token request", exact: true });
  await button.click();
  await expect(button.locator("xpath=following-sibling::span[1]")).toHaveText("Copying is blocked here: select the text and copy it.");
});
