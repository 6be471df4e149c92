import { expect, type Page, test } from "@playwright/test";

/*
 * Sign-in through a real OpenID Provider started by the tests (e2e/oidc/op-server.ts, the
 * oidc-provider package configured like GOV.UK One Login), and every refusal of seed 003's
 * checklist: each lands on a page that says what happened, with no session.
 */
// The provider's misbehaviour (/test/mode) is one setting for everyone: these tests take turns on
// it, each independent of the others, so one failing leaves the rest to run.
test.describe.configure({ lock: "test-openid-provider-mode" });

const OP = process.env.E2E_OP_URL ?? "http://localhost:3300";
const setMode = (value: string) => fetch(`${OP}/test/mode?value=${value}`);

test.afterEach(async () => {
  await setMode("none");
});

async function startSignIn(page: Page) {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue to GOV.UK One Login (test)" }).click();
  await expect(page).toHaveURL(new RegExp(`^${OP}/`));
}

async function loginAtProvider(page: Page, email: string) {
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  // The provider asks for consent to a first grant only: wait, as long as a loaded machine takes,
  // for whichever comes, its consent page or one of ours (every page of ours starts with the skip link).
  const consent = page.locator('button[type="submit"]', { hasText: /continue/i });
  const ours = page.getByRole("link", { name: "Skip to main content" });
  await consent.or(ours).first().waitFor({ state: "attached" });
  if (await consent.isVisible()) await consent.click();
}

async function expectNoSession(page: Page) {
  await page.goto("/orgs/finvu");
  await expect(page).toHaveURL(/\/signin(\?next=[^&]*)?$/);
}

test("an invited person signs in through the provider, lands in their organisation, and signs out at the provider", async ({ page }) => {
  await startSignIn(page);
  expect(new URL(page.url()).searchParams.get("code_challenge_method") ?? "S256").toBe("S256");
  await loginAtProvider(page, "priya.admin@finvu.example");
  await expect(page).toHaveURL(/\/orgs\/finvu$/);
  await expect(page.getByRole("heading", { name: "Welcome, Priya" })).toBeVisible();

  await page.getByRole("button", { name: "Logout" }).click();
  await expect(page).toHaveURL(new RegExp(`^${OP}/session/end`));
  const yes = page.locator('button[autofocus], button[type="submit"]').first();
  await yes.click();
  await expect(page).toHaveURL(/\/signin/);
  await expectNoSession(page);
});

for (const [mode, what] of [
  ["nonce", "a wrong nonce"],
  ["iss", "a wrong issuer"],
  ["aud", "a wrong audience"],
  ["expired", "an expired ID token"],
  ["userinfo-sub", "a UserInfo sub that differs from the ID token's"],
  ["unverified-email", "an e-mail address the provider has not verified (it would link to an invited person's account)"],
] as const) {
  test(`refuses ${what}, with a page that offers a retry and no session`, async ({ page }) => {
    await setMode(mode);
    await startSignIn(page);
    await loginAtProvider(page, "priya.admin@finvu.example");
    await expect(page).toHaveURL(/\/signin\/error/);
    await expect(page.getByRole("link", { name: "Try signing in again" })).toBeVisible();
    await expectNoSession(page);
  });
}

test("refuses a tampered state", async ({ page }) => {
  await setMode("state");
  await startSignIn(page);
  await loginAtProvider(page, "priya.admin@finvu.example");
  await expect(page).toHaveURL(/\/signin\/error/);
  await expectNoSession(page);
});

test("shows a provider error on the sign-in page, which says so and offers to try again", async ({ page }) => {
  await setMode("error");
  await startSignIn(page);
  await loginAtProvider(page, "priya.admin@finvu.example");
  await expect(page).toHaveURL(/\/signin\?error=OAuthCallbackError/);
  await expect(page.getByRole("alert").filter({ hasText: "reported a problem" })).toContainText("please try again");
  await expect(page.getByRole("button", { name: "Continue to GOV.UK One Login (test)" })).toBeVisible();
  await expectNoSession(page);
});

test("handles access_denied arriving with the session state missing", async ({ page }) => {
  await page.goto("/api/auth/callback/oidc?error=access_denied");
  await expect(page).toHaveURL(/\/signin\/error/);
  await expect(page.getByRole("link", { name: "Try signing in again" })).toBeVisible();
  await expectNoSession(page);
});

test("refuses a person the organisation never invited", async ({ page }) => {
  await startSignIn(page);
  await loginAtProvider(page, "stranger@example.com");
  await expect(page).toHaveURL(/\/signin\/error\?error=AccessDenied/);
  await expect(page.getByRole("heading", { name: "You cannot sign in to this portal" })).toBeVisible();
  await expectNoSession(page);
});
