import { expect, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

test("someone not signed in is sent to sign-in, and lands on the page they asked for afterwards", async ({ page }) => {
  await page.goto("/orgs/northwind/manage/api");
  await expect(page).toHaveURL(/\/signin\?next=%2Forgs%2Fnorthwind%2Fmanage%2Fapi$/);
  await page.getByRole("button", { name: `Continue as ${people.northwindAdmin}` }).click();
  await expect(page).toHaveURL(/\/orgs\/northwind\/manage\/api$/);
});

test("a sign-in link's next page never leads off the portal", async ({ page }) => {
  await page.goto("/signin?next=%2F%2Fevil.example%2Forgs");
  await page.getByRole("button", { name: `Continue as ${people.northwindAdmin}` }).click();
  await expect(page).toHaveURL(/\/orgs\/northwind$/);
});

test("a member never sees the API tab, and is refused when asking for it directly", async ({ page }) => {
  await signInAs(page, people.northwindMember);
  await expect(page.getByRole("link", { name: "API details", exact: true })).toHaveCount(0);
  await page.goto("/orgs/northwind/manage");
  const tabs = page.getByRole("navigation", { name: "Manage organisation" });
  await expect(tabs.getByRole("link")).toHaveText(["Offices"]);
  const response = await page.goto("/orgs/northwind/manage/api");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  // The refusal keeps the organisation's header and navigation, and has a title of its own.
  await expect(page).toHaveTitle("You do not have access · Rotor");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("Client ID");
  expect((await page.goto("/orgs/northwind/manage/active-users"))?.status()).toBe(403);
  expect((await page.goto("/orgs/northwind/dev-tools"))?.status()).toBe(403);
});

test("one organisation's admin gets 'not found' for every page of another organisation", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  for (const path of [
    "",
    "/manage",
    "/manage/offices",
    "/manage/active-users",
    "/manage/deactivated-users",
    "/manage/api",
    "/manage/webhooks",
    "/manage/webhooks/00000000-0000-4000-8000-000000000000",
    "/dev-tools",
  ]) {
    const response = await page.goto(`/orgs/finvu${path}`);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText("Finvu");
  }
  expect((await page.goto("/orgs/no-such-org/manage/api"))?.status()).toBe(404);
});

test("an organisation admin is not a platform operator", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  expect((await page.goto("/platform"))?.status()).toBe(404);
});

test("a de-activated person cannot sign in", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Continue as ${people.northwindDeactivated}` }).click();
  await expect(page.getByRole("alert").filter({ hasText: "de-activated" })).toContainText("has been de-activated and cannot sign in");
  await expect(page).toHaveURL(/\/signin$/);
});

test("the session endpoint says who is signed in, never the session cookie's token", async ({ page, context }) => {
  await signInAs(page, people.northwindAdmin);
  const cookie = (await context.cookies()).find((c) => c.name === "authjs.session-token");
  expect(cookie?.httpOnly).toBe(true);
  const response = await page.request.get("/api/auth/session");
  const text = await response.text();
  expect(JSON.parse(text).user).toMatchObject({ name: people.northwindAdmin });
  expect(text).not.toContain(cookie!.value);
  expect(Object.keys(JSON.parse(text)).sort()).toEqual(["expires", "user"]);
});

test("logout ends the session itself: the old cookie no longer opens anything", async ({ page, context }) => {
  await signInAs(page, people.northwindAdmin);
  const cookie = (await context.cookies()).find((c) => c.name === "authjs.session-token");
  expect(cookie).toBeDefined();
  await page.getByRole("button", { name: "Logout" }).click();
  await expect(page.getByRole("status")).toHaveText("You have signed out.");
  await context.addCookies([cookie!]);
  await page.goto("/orgs/northwind/manage/api");
  await expect(page).toHaveURL(/\/signin$/);
});
