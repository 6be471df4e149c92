import { createHash } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import postgres from "postgres";
import { people, signInAs } from "./helpers";

/*
 * Step-up before the dangerous actions (docs/security.md, "Step-up before dangerous actions"):
 * a session whose sign-in is older than ROTOR_STEP_UP_MINUTES is sent to "Confirm it's you" and
 * brought back. A session is made old by moving its sign-in time back in the main server's
 * database, which these tests can reach only when it is the Postgres server (CI); on PGlite the
 * server holds its database in-process.
 */
const databaseUrl = process.env.E2E_DATABASE_URL ?? "";
const NEEDS_SERVER = "needs the main e2e server on the Postgres server (set DATABASE_URL) to age a session";

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  if (!cookie) throw new Error("no session cookie");
  return cookie.value;
}

/** Moves this browser's sign-in an hour back, as if the person signed in an hour ago. */
async function ageSession(page: Page): Promise<string> {
  const token = await sessionCookie(page);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, prepare: false });
  try {
    const digest = createHash("sha256").update(token, "utf8").digest("hex");
    const rows = await sql`update "session" set "authenticatedAt" = now() - interval '1 hour' where "sessionToken" = ${digest} returning 1`;
    expect(rows.length).toBe(1);
  } finally {
    await sql.end();
  }
  return token;
}

async function sessionRowExists(token: string): Promise<boolean> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, prepare: false });
  try {
    const digest = createHash("sha256").update(token, "utf8").digest("hex");
    return (await sql`select 1 from "session" where "sessionToken" = ${digest}`).length === 1;
  } finally {
    await sql.end();
  }
}

test.beforeEach(() => {
  test.skip(databaseUrl === "", NEEDS_SERVER);
});

test("an admin signed in an hour ago confirms it's them before revealing, and comes back to the API tab", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/manage/api");
  await expect(page.getByTestId("step-up-notice")).toHaveCount(0);
  const oldToken = await ageSession(page);

  await page.reload();
  await expect(page.getByTestId("step-up-notice")).toContainText("we will ask you to sign in again");
  const client = page.getByRole("article").filter({ hasText: "Claims submission (production)" });
  await client.getByTestId("secret-row").first().getByRole("button", { name: "Reveal" }).click();

  await expect(page).toHaveURL(/\/signin\?reauth=1&next=%2Forgs%2Fnorthwind%2Fmanage%2Fapi$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm it's you");
  await expect(page.getByTestId("secret-value")).toHaveCount(0);
  // Only the signed-in person is offered, by keyboard.
  await expect(page.getByRole("button", { name: /^Continue as / })).toHaveCount(1);
  await page.getByRole("button", { name: `Continue as ${people.northwindAdmin}` }).focus();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/orgs\/northwind\/manage\/api$/);
  await expect(page.getByTestId("step-up-notice")).toHaveCount(0);
  // The old session is gone, not merely replaced in this browser.
  expect(await sessionCookie(page)).not.toBe(oldToken);
  expect(await sessionRowExists(oldToken)).toBe(false);

  await client.getByTestId("secret-row").first().getByRole("button", { name: "Reveal" }).click();
  await expect(client.getByTestId("secret-value")).toHaveValue(/^rtr_cs_/);
});

test("a designated user signed in an hour ago cannot rotate until they confirm it's them, and nothing changes meanwhile", {
  lock: "northwind-sandbox",
}, async ({ page }) => {
  await signInAs(page, people.northwindSpoc);
  await page.goto("/orgs/northwind/manage/api");
  const client = page.getByRole("article").filter({ hasText: "Claims submission (sandbox)" });
  const rowsBefore = await client.getByTestId("secret-row").count();
  await ageSession(page);
  await page.reload();

  // The dialog posts to the action, and the action itself refuses an old sign-in.
  await client.getByRole("button", { name: "Rotate secret of Claims submission (sandbox)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Issue the new secret" }).click();
  await expect(page).toHaveURL(/\/signin\?reauth=1&next=%2Forgs%2Fnorthwind%2Fmanage%2Fapi$/);
  await page.getByRole("link", { name: "Cancel and go back" }).click();
  await expect(page).toHaveURL(/\/orgs\/northwind\/manage\/api$/);
  await expect(client.getByTestId("secret-row")).toHaveCount(rowsBefore);
  await expect(page.getByTestId("step-up-notice")).toBeVisible();
});

test("signed in through the provider an hour ago, the admin signs in there again (prompt=login) and comes back", {
  // The test provider's misbehaviour switch is shared with e2e/oidc-sign-in.spec.ts.
  lock: "test-openid-provider-mode",
}, async ({ page }) => {
  const OP = process.env.E2E_OP_URL ?? "";
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue to GOV.UK One Login (test)" }).click();
  await loginAtProvider(page, "alice.admin@northwind.example");
  await expect(page).toHaveURL(/\/orgs\/northwind$/);
  const oldToken = await ageSession(page);

  await page.goto("/orgs/northwind/manage/api");
  await page.getByTestId("step-up-notice").getByRole("link", { name: "Sign in again now" }).click();
  await page.getByRole("button", { name: "Sign in again with GOV.UK One Login (test)" }).click();
  // The provider still has a session of its own, yet asks for the person's credentials again
  // (loginAtProvider waits for its login form).
  await expect(page).toHaveURL(new RegExp(`^${OP}/`));
  await loginAtProvider(page, "alice.admin@northwind.example");
  await expect(page).toHaveURL(/\/orgs\/northwind\/manage\/api$/);
  await expect(page.getByTestId("step-up-notice")).toHaveCount(0);
  expect(await sessionRowExists(oldToken)).toBe(false);
});

async function loginAtProvider(page: Page, email: string) {
  await expect(page.locator('input[name="login"]')).toBeVisible();
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  // First grants ask for consent; wait for whichever page comes (ours all start with the skip link).
  const consent = page.locator('button[type="submit"]', { hasText: /continue/i });
  const ours = page.getByRole("link", { name: "Skip to main content" });
  await consent.or(ours).first().waitFor({ state: "attached" });
  if (await consent.isVisible()) await consent.click();
}
