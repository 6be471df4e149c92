import { expect, type Page, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

/*
 * Manage > Audit log (docs/domain.md, "The audit log"): an admin filters by action and sees only
 * those events; both exports hold exactly the events the filtered table shows; a member can open
 * neither the tab nor the export. Platform > Audit log likewise for the operator, across
 * organisations and for one, and for no one else. Read-only: it filters on the seed's
 * de-activation, which no spec of this project repeats, and on the seed's older events.
 */

const tab = "/orgs/northwind/manage/audit-log";

/**
 * Both exports the page links to, fetched as the signed-in person: the CSV's rows after its header
 * (the columns every export has), and the JSON Lines' events; and the CSV link, which carries the filters.
 */
async function exportsOf(page: Page) {
  const csvHref = (await page.getByRole("link", { name: "Export as CSV" }).getAttribute("href"))!;
  const csv = await page.request.get(csvHref);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).split("\r\n").filter(Boolean);
  expect(lines[0]).toMatch(/^id,occurredAt,organisation,actorType,actor,source,action,/);
  const jsonl = await page.request.get((await page.getByRole("link", { name: "Export as JSON Lines" }).getAttribute("href"))!);
  expect(jsonl.status()).toBe(200);
  const events = (await jsonl.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  return { csvHref, rows: lines.slice(1), events };
}

test("an admin filters the audit log by action, and the CSV and JSON Lines exports hold exactly those events", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/manage/offices");
  await page.getByRole("navigation", { name: "Manage organisation" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();

  const filters = page.getByRole("search", { name: "Filter the audit log" });
  await filters.getByLabel("Action").selectOption("user.deactivated");
  await filters.getByRole("button", { name: "Filter" }).click();
  // The filter is in the address, so the view is a link.
  await expect(page).toHaveURL(/[?&]action=user\.deactivated/);

  const table = page.getByRole("table", { name: "Audit log of Northwind Insurance" });
  const rows = table.getByRole("row").filter({ has: page.locator("[data-event-id]") });
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  for (let i = 0; i < count; i++) await expect(rows.nth(i).getByRole("cell").nth(2)).toHaveText(/^de-activated /);
  // The target by name: the person the seed de-activated.
  await expect(table).toContainText("Dave Doyle");
  const shown = await table.locator("[data-event-id]").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-event-id")));

  const { csvHref, rows: csvRows, events } = await exportsOf(page);
  expect(csvHref).toContain("action=user.deactivated");
  expect(csvRows.map((l) => l.split(",")[0])).toEqual(shown);
  expect(csvRows.every((l) => l.includes(",user.deactivated,"))).toBe(true);
  expect(events.map((e) => e.id)).toEqual(shown);
  expect(events.every((e) => e.action === "user.deactivated")).toBe(true);
});

test("a filter nothing matches says so and offers to clear it", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.goto(`${tab}?target=${encodeURIComponent("no such thing anywhere")}`);
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(new RegExp(`${tab}$`));
  await expect(page.getByRole("table", { name: "Audit log of Northwind Insurance" })).toBeVisible();
});

test("a member who is neither admin nor designated user can open neither the tab nor the export", async ({ page }) => {
  await signInAs(page, people.northwindMember);
  await page.goto("/orgs/northwind/manage/offices");
  await expect(page.getByRole("navigation", { name: "Manage organisation" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  const opened = await page.goto(tab);
  expect([403, 404]).toContain(opened?.status());
  await expect(page.getByRole("table", { name: /Audit log/ })).toHaveCount(0);
  for (const format of ["csv", "jsonl"]) {
    const res = await page.request.get(`${tab}/export?format=${format}`);
    expect([403, 404]).toContain(res.status());
    expect(await res.text()).not.toContain("user.deactivated");
  }
});

test("someone from another organisation gets not found for the export", async ({ page }) => {
  await signInAs(page, people.finvuAdmin);
  const res = await page.request.get(`${tab}/export?format=csv`);
  expect(res.status()).toBe(404);
});

test("the platform operator reads every organisation's events, and one organisation's when filtered", async ({ page }) => {
  await signInAs(page, people.operator);
  await page.goto("/platform");
  await page.getByRole("link", { name: /^Audit log/ }).click();
  const table = page.getByRole("table", { name: "Audit log of every organisation" });
  await expect(table.locator("[data-event-id]").first()).toBeVisible();
  // Up to two days ago: the seed's older events, which other specs' new events (the platform's
  // own among them) cannot push off the first page.
  const to = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await page.goto(`/platform/audit-log?to=${to}`);
  await expect(table).toContainText("Northwind Insurance");
  await expect(table).toContainText("Finvu Data Services");
  const filters = page.getByRole("search", { name: "Filter the audit log" });
  await filters.getByLabel("Organisation").selectOption({ label: "Finvu Data Services" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/[?&]organisation=finvu/);
  const organisations = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.querySelectorAll("td")[0]?.textContent));
  expect(organisations.length).toBeGreaterThan(0);
  expect(new Set(organisations)).toEqual(new Set(["Finvu Data Services"]));
});

test("the operator's CSV and JSON Lines exports hold exactly the filtered events, across organisations and for one", async ({ page }) => {
  // Up to two days ago (UTC days, "to" included): only the seed's older events, of Northwind and
  // Finvu, which no spec changes, so what the table shows is stable while other specs write events.
  const to = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await signInAs(page, people.operator);
  await page.goto(`/platform/audit-log?to=${to}`);
  const table = page.getByRole("table", { name: "Audit log of every organisation" });
  const filters = page.getByRole("search", { name: "Filter the audit log" });
  for (const organisation of [null, { label: "Northwind Insurance", slug: "northwind" }]) {
    if (organisation) {
      await filters.getByLabel("Organisation").selectOption({ label: organisation.label });
      await filters.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(new RegExp(`[?&]organisation=${organisation.slug}`));
    }
    await expect(table.locator("[data-event-id]").first()).toBeVisible();
    // Each row's id and organisation: the exports must hold these and no others.
    const shown = await table
      .locator("tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector("[data-event-id]")?.getAttribute("data-event-id"), r.querySelectorAll("td")[0]?.textContent]),
      );
    const names = new Set(shown.map(([, name]) => name));
    if (organisation) expect(names).toEqual(new Set([organisation.label]));
    else expect(names).toEqual(new Set(["Northwind Insurance", "Finvu Data Services"]));

    const { csvHref, rows, events } = await exportsOf(page);
    expect(csvHref).toContain(`to=${to}`);
    if (organisation) expect(csvHref).toContain(`organisation=${organisation.slug}`);
    expect(rows.map((l) => l.split(",")[0])).toEqual(shown.map(([id]) => id));
    if (organisation) expect(rows.every((l) => l.split(",")[2] === organisation.slug)).toBe(true);
    expect(events.map((e) => [e.id, e.organisation?.name ?? "Platform"])).toEqual(shown);
  }
});

test("an organisation admin who is not an operator cannot open the platform's audit log or its export", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  const opened = await page.goto("/platform/audit-log");
  expect(opened?.status()).toBe(404);
  for (const format of ["csv", "jsonl"]) {
    const res = await page.request.get(`/platform/audit-log/export?format=${format}`);
    expect(res.status()).toBe(404);
    expect(await res.text()).not.toContain("user.deactivated");
  }
});
