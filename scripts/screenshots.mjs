// Screenshots of every page and dialog at 1440 and 390 px, for a visual check:
//   node scripts/screenshots.mjs [baseUrl]   (a running demo: npm run demo, or npm start with ROTOR_DEMO=true)
// Opens dialogs without submitting them, so the demo data is left as it was.
import { mkdirSync } from "node:fs";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./browser.mjs";

const base = process.argv[2] ?? "http://localhost:3000";
const out = "screenshots";
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
const widths = [1440, 390];

async function signedIn(person, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${base}/signin`);
  if (person) {
    await page.getByRole("button", { name: `Continue as ${person}` }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
  }
  return page;
}

async function pages(person, list) {
  for (const width of widths) {
    const page = await signedIn(person, width);
    for (const [name, path] of list) {
      await page.goto(`${base}${path}`);
      await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: true });
    }
    await page.close();
  }
}

/** The API tab's dialogs and confirmation panels, opened one at a time and cancelled. */
async function dialogs(person, path, client) {
  for (const width of widths) {
    const page = await signedIn(person, width);
    await page.goto(`${base}${path}`);
    const article = page.getByRole("article").filter({ hasText: client });
    await article.getByRole("button", { name: /^Rotate secret/ }).click();
    for (const choice of ["Until a day I choose", "Revoke it now, because it leaked"]) {
      await page.getByRole("radio", { name: choice }).check();
      await page.screenshot({ path: `${out}/dialog-rotate-${choice.split(" ")[0].toLowerCase()}-${width}.png` });
    }
    await page.keyboard.press("Escape");
    const revoke = article.getByRole("button", { name: /^Revoke secret ending/ }).first();
    if (await revoke.count()) {
      await revoke.click();
      await article.screenshot({ path: `${out}/panel-revoke-secret-${width}.png` });
      await article.getByRole("button", { name: "Cancel" }).click();
    }
    await article.getByRole("button", { name: /^Rotate after a compromise/ }).click();
    await article.screenshot({ path: `${out}/panel-compromise-${width}.png` });
    await page.close();
  }
}

await pages(null, [["signin", "/signin"]]);
await pages("Alice Adeyemi", [
  ["home", "/orgs/northwind"],
  ["offices", "/orgs/northwind/manage/offices"],
  ["active-users", "/orgs/northwind/manage/active-users"],
  ["deactivated-users", "/orgs/northwind/manage/deactivated-users"],
  ["api", "/orgs/northwind/manage/api"],
  ["webhooks", "/orgs/northwind/manage/webhooks"],
  ["dev-tools", "/orgs/northwind/dev-tools"],
  ["account", "/account"],
  ["confirm-its-you", "/signin?reauth=1&next=%2Forgs%2Fnorthwind%2Fmanage%2Fapi"],
  ["not-found", "/orgs/finvu/manage/api"],
]);
await pages("Mo Mahmood", [
  ["member-home", "/orgs/northwind"],
  ["forbidden", "/orgs/northwind/manage/api"],
]);
await pages("Finvu secret rotation (SPOC)", [["finvu-api", "/orgs/finvu/manage/api"]]);
// The designated user's API tab: rotate, keys, and each client's JWKS URL panel.
await pages("Northwind API team (SPOC)", [["spoc-api", "/orgs/northwind/manage/api"]]);
await pages("Ravi Patel", [
  ["no-spoc-home", "/orgs/contoso"],
  ["no-spoc-api", "/orgs/contoso/manage/api"],
]);
for (const width of widths) {
  const page = await signedIn("Ravi Patel", width);
  await page.goto(`${base}/orgs/contoso/manage/offices`);
  await page.getByText("Switch organisation").click();
  await page.screenshot({ path: `${out}/switcher-open-${width}.png` });
  await page.close();
}
await pages("Olivia Operator", [
  ["platform", "/platform"],
  ["platform-clients", "/platform/clients"],
  ["platform-webhooks", "/platform/webhooks"],
]);
/** A client's Platform page, reached from the list (its ID is in the path), and its disable confirmation, cancelled. */
for (const width of widths) {
  const page = await signedIn("Olivia Operator", width);
  await page.goto(`${base}/platform/clients`);
  await page.getByRole("link", { name: "Claims submission (production)" }).click();
  await page.waitForURL(/\/platform\/clients\/.+/);
  await page.screenshot({ path: `${out}/platform-client-${width}.png`, fullPage: true });
  await page.getByRole("button", { name: "Disable client" }).click();
  await page.screenshot({ path: `${out}/platform-client-disable-${width}.png`, fullPage: true });
  await page.close();
}
await dialogs("Northwind API team (SPOC)", "/orgs/northwind/manage/api", "Claims submission (sandbox)");
await browser.close();
console.info(`screenshots in ${out}/`);
