// Takes screenshots of the main pages for a visual check: node scripts/screenshots.mjs [baseUrl]
import { mkdirSync } from "node:fs";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./browser.mjs";

const base = process.argv[2] ?? "http://localhost:3000";
const out = "screenshots";
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
async function shoot(person, pages, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${base}/signin`);
  if (person) {
    await page.getByRole("button", { name: `Continue as ${person}` }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
  }
  for (const [name, path] of pages) {
    await page.goto(`${base}${path}`);
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  }
  await page.close();
}
await shoot(null, [["signin", "/signin"]]);
await shoot("Alice Adeyemi", [
  ["home", "/orgs/northwind"],
  ["offices", "/orgs/northwind/manage/offices"],
  ["active-users", "/orgs/northwind/manage/active-users"],
  ["deactivated-users", "/orgs/northwind/manage/deactivated-users"],
  ["api", "/orgs/northwind/manage/api"],
  ["dev-tools", "/orgs/northwind/dev-tools"],
  ["not-found", "/orgs/finvu/manage/api"],
]);
await shoot("Mo Mahmood", [
  ["member-home", "/orgs/northwind"],
  ["forbidden", "/orgs/northwind/manage/api"],
]);
await shoot("Finvu secret rotation (SPOC)", [["finvu-api", "/orgs/finvu/manage/api"]]);
await shoot("Olivia Operator", [["platform", "/platform"]]);
await shoot("Alice Adeyemi", [["mobile-api", "/orgs/northwind/manage/api"]], { width: 390, height: 844 });
await browser.close();
console.info(`screenshots in ${out}/`);
