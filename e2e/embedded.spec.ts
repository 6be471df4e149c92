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

test("the demo's scheduler runs in-process: the overlapping secret's reminders are in the development mailbox, with correct dates", async ({
  page,
}) => {
  await signInAs(page, people.northwindAdmin);
  // The reminder's date is the secret's expiry date as the API tab shows it (not today + 20 by this
  // test's clock, which is a day off once midnight in London has passed since the server started).
  await page.goto("/orgs/northwind/manage/api");
  const client = page.getByRole("article").filter({ hasText: "Claims submission (production)" });
  const expiry = ((await client.getByTestId("expiry-date").first().textContent()) ?? "").trim();
  expect(expiry).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  await expect
    .poll(
      async () => {
        await page.goto("/orgs/northwind/dev-tools");
        return page.getByTestId("mail").count();
      },
      { timeout: 20_000, intervals: [1000] },
    )
    .toBe(2);
  const mails = page.getByTestId("mail");
  await expect(mails.nth(0)).toContainText("Your client secret for Claims submission (production) expires in 20 days");
  await expect(mails.nth(0).getByText("sent", { exact: true })).toBeVisible();
  await expect(mails.nth(1)).toContainText("expires in 30 days");
  await mails.nth(0).getByText("Your client secret for").click();
  await mails.nth(0).getByText("Plain-text version").click();
  await expect(mails.nth(0).getByTestId("mail-text")).toContainText(`works until the end of ${expiry} (Europe/London time)`);
});

test("a sign-in link never shows in an organisation's mailbox, and its recipient sees only that it was sent", async ({ browser }) => {
  const asker = await browser.newPage();
  await asker.goto("/signin");
  await asker.getByLabel("E-mail address", { exact: true }).fill("priya.admin@finvu.example");
  await asker.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await expect(asker.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();

  // Priya herself (signed in another way) sees the message was sent, without its link.
  const priya = await browser.newPage();
  await signInAs(priya, people.finvuAdmin);
  await expect
    .poll(
      async () => {
        await priya.goto("/orgs/finvu/dev-tools");
        return priya.getByTestId("mail").filter({ hasText: "sign-in link" }).count();
      },
      { timeout: 20_000, intervals: [500] },
    )
    .toBeGreaterThan(0);
  const own = priya.getByTestId("mail").filter({ hasText: "sign-in link" }).first();
  await own.getByText("sign-in link").click();
  await expect(own.getByTestId("mail-erased")).toBeVisible();
  await expect(priya.locator("body")).not.toContainText("/api/auth/callback/email");

  // The organisation's designated user sees none of it.
  const spoc = await browser.newPage();
  await signInAs(spoc, "Finvu secret rotation (SPOC)");
  await spoc.goto("/orgs/finvu/dev-tools");
  await expect(spoc.getByRole("list", { name: "Development mailbox" }).or(spoc.getByText("No e-mail yet"))).toBeVisible();
  await expect(spoc.getByTestId("mail").filter({ hasText: "priya.admin@finvu.example" })).toHaveCount(0);
});
