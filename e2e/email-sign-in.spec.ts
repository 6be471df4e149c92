import { expect, type Page, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

async function askForLink(page: Page, email: string) {
  await page.goto("/signin");
  await page.getByLabel("E-mail address", { exact: true }).fill(email);
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/signin\/check-email(\?|$)/);
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
}

async function linksInMailbox(page: Page, to: string): Promise<string[]> {
  await page.goto("/orgs/finvu/dev-tools");
  const mails = page
    .getByTestId("mail")
    .filter({ hasText: `to ${to}` })
    .filter({ hasText: "sign-in link" });
  const links: string[] = [];
  for (let i = 0; i < (await mails.count()); i++) {
    const text = await mails.nth(i).getByTestId("mail-text").textContent({ timeout: 2000 });
    const m = /(https?:\/\/\S+\/api\/auth\/callback\/email\S+)/.exec(text ?? "");
    if (m?.[1]) links.push(m[1]);
  }
  return links;
}

test("a person signs in with a link e-mailed through the mailbox, once", async ({ browser }) => {
  const person = await browser.newPage();
  await askForLink(person, "Priya.Admin@finvu.example");

  const reader = await browser.newPage();
  await signInAs(reader, "Finvu secret rotation (SPOC)");
  const [link] = await linksInMailbox(reader, "priya.admin@finvu.example");
  expect(link).toBeDefined();

  await person.goto(link!);
  await expect(person).toHaveURL(/\/orgs\/finvu$/);
  await expect(person.getByRole("heading", { name: "Welcome, Priya" })).toBeVisible();

  const again = await browser.newPage();
  await again.goto(link!);
  await expect(again.getByRole("heading", { name: "That sign-in link has expired or was already used" })).toBeVisible();
  await expect(again.getByRole("link", { name: "Try signing in again" })).toBeVisible();
});

test("an unknown or de-activated address gets the same page and no e-mail", async ({ browser }) => {
  const page = await browser.newPage();
  await askForLink(page, "nobody@finvu.example");
  await askForLink(page, "kiran.former@finvu.example");
  const reader = await browser.newPage();
  await signInAs(reader, people.finvuAdmin);
  expect(await linksInMailbox(reader, "kiran.former@finvu.example")).toEqual([]);
  expect(await linksInMailbox(reader, "nobody@finvu.example")).toEqual([]);
});

test("a bad address is refused on the form, keeping what was typed", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("E-mail address", { exact: true }).fill("priya@");
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter your e-mail address" })).toBeVisible();
  await expect(page.getByLabel("E-mail address", { exact: true })).toHaveValue("priya@");
});
