import { expect, type Page, test } from "@playwright/test";
import { raw, SPOOFED } from "./helpers";

/*
 * Sign-in by e-mailed link. The main server sends its e-mail through the real Resend SDK to a local
 * stand-in (e2e/mail/fake-resend-server.ts); each test reads the recipient's own inbox there, as the
 * person would. Nobody else can read a link: not an organisation's mailbox, not a forged header.
 */

const MAIL = process.env.E2E_MAIL_URL ?? "http://127.0.0.1:3302";

interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

async function inbox(to: string): Promise<Mail[]> {
  return (await (await fetch(`${MAIL}/test/inbox?to=${encodeURIComponent(to)}`)).json()) as Mail[];
}

/** The sign-in link of each mail (a mail shows its link more than once: as a button and in full). */
function linksIn(mails: Mail[]): string[] {
  return mails.flatMap((m) => {
    const links = new Set([...m.text.matchAll(/(https?:\/\/\S+\/api\/auth\/callback\/email\S+)/g)].map((x) => x[1]!));
    return [...links];
  });
}

/** Waits for the n-th link to reach this person's inbox (sending happens just after the response). */
async function nthLink(to: string, n: number): Promise<string> {
  await expect.poll(async () => linksIn(await inbox(to)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
  return linksIn(await inbox(to))[n - 1]!;
}

async function askForLink(page: Page, email: string) {
  await page.goto("/signin");
  await page.getByLabel("E-mail address", { exact: true }).fill(email);
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/signin\/check-email(\?|$)/);
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
}

test("a person signs in with the link e-mailed to them, once", async ({ browser }) => {
  const person = await browser.newPage();
  const before = linksIn(await inbox("priya.admin@finvu.example")).length;
  await askForLink(person, "Priya.Admin@finvu.example");
  const link = await nthLink("priya.admin@finvu.example", before + 1);
  expect(new URL(link).origin).toBe(new URL(test.info().project.use.baseURL as string).origin);

  await person.goto(link);
  await expect(person).toHaveURL(/\/orgs\/finvu$/);
  await expect(person.getByRole("heading", { name: "Welcome, Priya" })).toBeVisible();

  const again = await browser.newPage();
  await again.goto(link);
  await expect(again.getByRole("heading", { name: "That sign-in link has expired or was already used" })).toBeVisible();
  await expect(again.getByRole("link", { name: "Try signing in again" })).toBeVisible();
});

test("an unknown or de-activated address gets the same page and no e-mail", async ({ page }) => {
  await askForLink(page, "nobody@finvu.example");
  await askForLink(page, "kiran.former@finvu.example");
  // An invited person's request made afterwards is the barrier: once their link has arrived, the
  // two earlier requests (which have less to do) are finished too.
  const before = linksIn(await inbox("arjun.member@finvu.example")).length;
  await askForLink(page, "arjun.member@finvu.example");
  await nthLink("arjun.member@finvu.example", before + 1);
  expect(await inbox("nobody@finvu.example")).toEqual([]);
  expect(await inbox("kiran.former@finvu.example")).toEqual([]);
});

test("twenty requests for one person's link in a few seconds send them one e-mail, and every request sees the same page", async ({
  page,
}) => {
  // Twenty page round trips: on a busy two-core machine they need more than the default budget.
  test.slow();
  const before = linksIn(await inbox("mo.member@northwind.example")).length;
  for (let i = 0; i < 20; i++) await askForLink(page, "mo.member@northwind.example");
  await nthLink("mo.member@northwind.example", before + 1);
  // Another person's link, asked for afterwards, is the barrier: the twenty are all handled by now.
  const others = linksIn(await inbox("alice.admin@northwind.example")).length;
  await askForLink(page, "alice.admin@northwind.example");
  await nthLink("alice.admin@northwind.example", others + 1);
  expect(linksIn(await inbox("mo.member@northwind.example"))).toHaveLength(before + 1);
});

test("a bad address is refused on the form, keeping what was typed", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("E-mail address", { exact: true }).fill("priya@");
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter your e-mail address" })).toBeVisible();
  await expect(page.getByLabel("E-mail address", { exact: true })).toHaveValue("priya@");
});

test("a sign-in request with a forged Host and X-Forwarded-Host still mails a link to the configured origin", async ({ page }) => {
  const base = test.info().project.use.baseURL as string;
  // The sign-in form's own server-action fields, posted as an attacker would: from a script that
  // sets the Origin it likes and the Host it wants the link to point at.
  await page.goto("/signin");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "E-mail me a sign-in link" }) });
  const fields = await form.evaluate((f) => [...new FormData(f as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)]));
  const boundary = "----rotorprobe";
  const body = `${fields
    .map(
      ([k, v]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${k === "email" ? "secret-rotation@finvu.example" : v}\r\n`,
    )
    .join("")}--${boundary}--\r\n`;
  const before = linksIn(await inbox("secret-rotation@finvu.example")).length;
  const asked = await raw(base, "/signin", {
    method: "POST",
    headers: { ...SPOOFED, origin: new URL(base).origin, "content-type": `multipart/form-data; boundary=${boundary}` },
    body,
  });
  expect(asked.status).toBeLessThan(400);
  const link = new URL(await nthLink("secret-rotation@finvu.example", before + 1));
  expect(link.origin).toBe(new URL(base).origin);
  expect(new URL(link.searchParams.get("callbackUrl") ?? "").origin).toBe(new URL(base).origin);
});

test("Auth.js's own e-mail sign-in endpoint is closed: links are asked for on the sign-in page only, within its limits", async () => {
  const base = test.info().project.use.baseURL as string;
  const csrf = await raw(base, "/api/auth/csrf", {});
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cookies = ([] as string[])
    .concat(csrf.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0])
    .join("; ");
  const before = await inbox("api-team@northwind.example");
  const asked = await raw(base, "/api/auth/signin/email", {
    method: "POST",
    headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "api-team@northwind.example", csrfToken }).toString(),
  });
  expect(asked.status).toBe(404);
  expect(JSON.parse(asked.body)).toEqual({ error: "not_found", error_description: "Ask for a sign-in link on the sign-in page." });
  // Refused before anything is done: nothing was sent, now or later.
  expect(await inbox("api-team@northwind.example")).toEqual(before);
});
