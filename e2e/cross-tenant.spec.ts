import { generateKeyPairSync } from "node:crypto";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { people, signInAs } from "./helpers";

/*
 * One organisation's people get nothing of another's: pages answer "not found" (authorization
 * spec), and here server actions and every management-API route are aimed at the other
 * organisation. Finvu's own forms are replayed with a Northwind session; nothing may change.
 * (Forms that appear only after a confirmation step carry nothing to replay; their use cases'
 * tenant scoping is tested in lib/organisations.)
 */

async function formFields(form: Locator, what: string): Promise<Record<string, string>> {
  const entries = await form.evaluate((f) =>
    [...new FormData(f as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)] as [string, string]),
  );
  expect(
    entries.some(([k]) => k.startsWith("$ACTION")),
    `${what}: ${entries.map(([k]) => k).join(",")}`,
  ).toBe(true);
  return Object.fromEntries(entries);
}

async function replayAs(page: Page, path: string, fields: Record<string, string>) {
  const response = await page.request.post(path, { multipart: fields });
  // notFound() in a no-JavaScript action renders Next's not-found response.
  expect(response.status(), path).toBe(404);
  expect(await response.text()).not.toMatch(/added\.|invited\.|De-activated\.|saved\.|New secret issued/);
}

// Compares Finvu's people before and after: takes turns with the specs that change them.
test("Finvu's server actions, replayed by Northwind's admin and designated user, are refused and change nothing", {
  lock: "finvu-people",
}, async ({ browser }) => {
  // Four signed-in browsers and a dozen page loads: on a busy two-core machine this needs more than the default budget.
  test.slow();
  const finvu = await browser.newPage();
  await signInAs(finvu, people.finvuAdmin);

  await finvu.goto("/orgs/finvu/manage/offices");
  await finvu.getByText("Add an office").click();
  const officeForm = finvu.locator("form").filter({ has: finvu.getByRole("button", { name: "Add office" }) });
  await officeForm.getByLabel("Office name").fill("Intruder office");
  await officeForm.getByLabel("Address line 1").fill("1 Nowhere");
  await officeForm.getByLabel("Town or city").fill("Nowhere");
  await officeForm.getByLabel("Postcode").fill("N0 1WH");
  const office = await formFields(officeForm, "office");

  await finvu.goto("/orgs/finvu/manage/active-users");
  await finvu.getByText("Invite a user").click();
  const inviteForm = finvu.locator("form").filter({ has: finvu.getByRole("button", { name: "Invite" }) });
  await inviteForm.getByLabel("E-mail address").fill("intruder@northwind.example");
  const invite = await formFields(inviteForm, "invite");

  await finvu.goto("/orgs/finvu/manage/api");
  const policy = await formFields(finvu.locator("form").filter({ has: finvu.getByRole("button", { name: "Save policy" }) }), "policy");

  const finvuSpoc = await browser.newPage();
  await signInAs(finvuSpoc, "Finvu secret rotation (SPOC)");
  await finvuSpoc.goto("/orgs/finvu/manage/api");
  const rotate = await formFields(finvuSpoc.getByTestId("rotate-form").first(), "rotate");
  const secretsBefore = await finvuSpoc.getByTestId("secret-row").count();

  const northwindAdmin = await browser.newPage();
  await signInAs(northwindAdmin, people.northwindAdmin);
  await replayAs(northwindAdmin, "/orgs/finvu/manage/offices", office);
  await replayAs(northwindAdmin, "/orgs/finvu/manage/active-users", invite);
  await replayAs(northwindAdmin, "/orgs/finvu/manage/api", policy);
  const northwindSpoc = await browser.newPage();
  await signInAs(northwindSpoc, people.northwindSpoc);
  await replayAs(northwindSpoc, "/orgs/finvu/manage/api", rotate);

  await finvu.goto("/orgs/finvu/manage/offices");
  await expect(finvu.getByRole("table", { name: "Offices of Finvu Data Services" })).not.toContainText("Intruder office");
  await finvu.goto("/orgs/finvu/manage/active-users");
  const active = finvu.getByRole("table", { name: "Active users of Finvu Data Services" });
  await expect(active).toContainText("Arjun Mehta");
  await expect(active).not.toContainText("intruder@northwind.example");
  await finvuSpoc.reload();
  await expect(finvuSpoc.getByTestId("secret-row")).toHaveCount(secretsBefore);
});

test("a Northwind token reaches none of Finvu's clients through any management-API route", async ({ page }) => {
  const finvu = await page.context().browser()!.newPage();
  await signInAs(finvu, people.finvuAdmin);
  await finvu.goto("/orgs/finvu/manage/api");
  const finvuClient = (await finvu.getByTestId("client-id").first().textContent()) ?? "";
  const secretId = await finvu.getByTestId("secret-row").first().getAttribute("data-secret-id");

  await signInAs(page, people.northwindSpoc);
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Personal API tokens" });
  await section.getByLabel("Token name").fill("cross-tenant probe");
  await section.getByLabel(/Read and rotate/).check();
  await section.getByRole("button", { name: "Create token" }).click();
  const token = await section.getByTestId("secret-value").inputValue();
  const base = test.info().project.use.baseURL;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const someId = secretId ?? "00000000-0000-4000-8000-000000000000";
  const validPublicKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
  const routes: [string, string, unknown?][] = [
    ["GET", `/clients/${finvuClient}/secrets`],
    ["POST", `/clients/${finvuClient}/secrets`, {}],
    ["GET", `/clients/${finvuClient}/secrets/${someId}/value`],
    ["POST", `/clients/${finvuClient}/secrets/${someId}/revoke`, {}],
    ["GET", `/clients/${finvuClient}/keys`],
    // A key Rotor would accept for a client of one's own: only the tenancy can refuse it.
    ["POST", `/clients/${finvuClient}/keys`, { key: validPublicKey }],
    ["POST", `/clients/${finvuClient}/keys/${someId}/revoke`, {}],
  ];
  for (const [method, path, body] of routes) {
    const res = await call(method, path, body);
    // Every body above is valid, so nothing but the organisation boundary can answer 404.
    expect(res.status, `${method} ${path}`).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain("Finvu");
  }
  const { clients } = await (await call("GET", "/clients")).json();
  expect(clients.map((c: { clientId: string }) => c.clientId)).not.toContain(finvuClient);
});
