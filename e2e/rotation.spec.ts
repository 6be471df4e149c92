import { generateKeyPairSync } from "node:crypto";
import { expect, test } from "@playwright/test";
import { dayNumber, people, signInAs, todayIn } from "./helpers";

const finvuSpoc = "Finvu secret rotation (SPOC)";

// One organisation's credentials, changed step by step: these run in order.
test.describe
  .serial("the designated user manages Finvu's credentials in the browser", () => {
    test("rotates by keyboard: chooses the old secret's last day, stores the value shown once, and only then may rotate again", async ({
      page,
    }) => {
      await signInAs(page, finvuSpoc);
      await page.goto("/orgs/finvu/manage/api");
      const client = page.getByRole("article").filter({ hasText: "Account aggregator gateway" });
      await expect(client.getByTestId("secret-row")).toHaveCount(1);
      // The old secret's last day, 45 days from today in Finvu's zone (its own last day is later).
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Kolkata" }).format(new Date());
      const [y, m, d] = today.split("-").map(Number) as [number, number, number];
      const chosen = new Date(Date.UTC(y, m - 1, d + 45)).toISOString().slice(0, 10);
      const chosenDdMmYyyy = chosen.split("-").reverse().join("/");

      const rotate = client.getByRole("button", { name: "Rotate secret of Account aggregator gateway" });
      await rotate.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Rotate the secret of Account aggregator gateway" });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText(/The current secret .* expires on \d{2}\/\d{2}\/\d{4} and was last used 2 hours ago/);
      // Escape closes it and focus goes back to the button; nothing was issued.
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(rotate).toBeFocused();
      await expect(client.getByTestId("secret-row")).toHaveCount(1);

      await page.keyboard.press("Enter");
      await expect(dialog).toBeVisible();
      const usual = dialog.getByRole("radio", { name: /the end of the 30-day overlap/ });
      await expect(usual).toBeChecked();
      await usual.focus();
      await page.keyboard.press("ArrowDown"); // unchanged
      await page.keyboard.press("ArrowDown"); // until a day I choose
      await expect(dialog.getByRole("radio", { name: "Until a day I choose" })).toBeChecked();
      await page.keyboard.press("Tab");
      const day = dialog.getByLabel("Last day the current secret works");
      await expect(day).toBeFocused();
      await day.fill(chosen);
      await page.keyboard.press("Enter");

      await expect(dialog).toBeHidden();
      await expect(client.getByText("Copy it now: under your organisation's show-once policy it will not be shown again.")).toBeVisible();
      await expect(client.getByRole("status")).toContainText(`The old secret works until the end of ${chosenDdMmYyyy}.`);
      await expect(client.getByTestId("secret-value")).toHaveValue(/^rtr_cs_[0-9A-Za-z]{36}$/);
      // Until the value is stored, rotating again (which would hide it) is not offered.
      await expect(rotate).toBeDisabled();
      const rows = client.getByTestId("secret-row");
      await expect(rows).toHaveCount(2);
      const [oldCreated, newCreated] = (await client.getByTestId("created-date").allTextContents()).map(dayNumber);
      const [oldExpiry, newExpiry] = (await client.getByTestId("expiry-date").allTextContents()).map(dayNumber);
      expect(newExpiry! - newCreated!).toBe(180);
      expect(oldExpiry).toBe(dayNumber(chosenDdMmYyyy));
      expect(oldCreated).toBeLessThan(newCreated!);

      const storedIt = client.getByRole("button", { name: "I have stored it" });
      await storedIt.focus();
      await page.keyboard.press("Enter");
      await expect(client.getByTestId("secret-value")).toHaveCount(0);
      await expect(rotate).toBeEnabled();
      await expect(rotate).toBeFocused();
      // Show-once: no reveal button, and the page never carries a stored value.
      await page.reload();
      await expect(client.getByRole("button", { name: "Reveal" })).toHaveCount(0);
      await expect(client.getByTestId("secret-value")).toHaveCount(0);
    });

    test("refuses a third live secret with a message that says what to do", async ({ page }) => {
      await signInAs(page, finvuSpoc);
      await page.goto("/orgs/finvu/manage/api");
      const client = page.getByRole("article").filter({ hasText: "Account aggregator gateway" });
      await client.getByRole("button", { name: "Rotate secret" }).click();
      const dialog = page.getByRole("dialog", { name: "Rotate the secret of Account aggregator gateway" });
      await expect(dialog.getByRole("alert").filter({ hasText: "two live secrets" })).toContainText("revoke the old one and rotate again");
      await expect(dialog.getByRole("button", { name: /Issue/ })).toHaveCount(0);
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await expect(client.getByTestId("secret-row")).toHaveCount(2);
    });

    test("revokes the old secret after confirming, and can then no longer revoke the last one", async ({ page }) => {
      await signInAs(page, finvuSpoc);
      await page.goto("/orgs/finvu/manage/api");
      const client = page.getByRole("article").filter({ hasText: "Account aggregator gateway" });
      const clientId = (await client.getByTestId("client-id").textContent())?.trim() ?? "";
      const current = client.getByTestId("secret-row").first();
      await current.getByRole("button", { name: "Revoke" }).click();
      await expect(current.getByRole("group", { name: "Revoke" })).toBeFocused();
      await current.getByRole("button", { name: "Cancel" }).click();
      await expect(client.getByTestId("secret-row")).toHaveCount(2);
      await current.getByRole("button", { name: "Revoke" }).click();
      // The old secret was used two hours ago and the new one never: the panel says so and asks for the client ID.
      await expect(current.getByText("Your systems probably still use this secret: it was last used 2 hours ago")).toBeVisible();
      await current.getByRole("button", { name: "Yes, revoke it" }).click();
      await expect(current.getByRole("alert")).toContainText(`Type the client ID ${clientId} to revoke it anyway.`);
      await expect(client.getByTestId("secret-row")).toHaveCount(2);
      await current.getByLabel(/Type the client ID/).fill(clientId);
      await current.getByRole("button", { name: "Yes, revoke it" }).click();
      await expect(client.getByTestId("secret-row")).toHaveCount(1);
      // The row is gone; the result is still announced, page-wide, and only once.
      await expect(page.getByTestId("announcement")).toHaveText(/Secret revoked\. Systems still using it are refused from now on\./);
      await page.reload();
      await expect(page.getByTestId("announcement")).toHaveCount(0);
      await expect(client.getByRole("button", { name: /^Revoke secret ending / })).toHaveCount(0);
    });

    test("rotates after a compromise only once the client ID is typed, revoking the old secret at once", async ({ page }) => {
      await signInAs(page, finvuSpoc);
      await page.goto("/orgs/finvu/manage/api");
      const client = page.getByRole("article").filter({ hasText: "Account aggregator gateway" });
      const clientId = (await client.getByTestId("client-id").textContent()) ?? "";
      const before = await client.getByTestId("masked-secret").textContent();
      await client.getByRole("button", { name: "Rotate after a compromise" }).click();
      await client.getByLabel(/Type the client ID/).fill("wrong");
      await client.getByRole("button", { name: "Revoke all and issue a new secret" }).click();
      await expect(client.getByRole("alert").filter({ hasText: "Type the client ID exactly" })).toBeVisible();
      await expect(client.getByTestId("secret-row")).toHaveCount(1);
      // What was typed stays, and focus is on it, ready to be corrected.
      await expect(client.getByLabel(/Type the client ID/)).toHaveValue("wrong");
      await expect(client.getByLabel(/Type the client ID/)).toBeFocused();
      await client.getByLabel(/Type the client ID/).fill(clientId);
      await client.getByRole("button", { name: "Revoke all and issue a new secret" }).click();
      await expect(client.getByTestId("secret-value")).toBeVisible();
      await expect(client.getByTestId("secret-row")).toHaveCount(1);
      await expect(client.getByTestId("masked-secret")).not.toHaveText(before ?? "");
    });

    test("registers a second public key, refuses a third and a 1024-bit one with reasons, and revokes one", async ({ page }) => {
      const pem = (bits: number) =>
        generateKeyPairSync("rsa", { modulusLength: bits }).publicKey.export({ type: "spki", format: "pem" }).toString();
      await signInAs(page, finvuSpoc);
      await page.goto("/orgs/finvu/manage/api");
      const client = page.getByRole("article").filter({ hasText: "Account aggregator gateway" });
      const keys = client.getByRole("table", { name: "Public keys of Account aggregator gateway" });
      await expect(keys.getByRole("row")).toHaveCount(2);

      await client.getByText("Register a public key").click();
      await client.getByLabel("Public key (PEM or JWK)").fill(pem(1024));
      await client.getByRole("button", { name: "Register key" }).click();
      await expect(client.getByText("This RSA key is 1024 bits. RSA keys must be 2048 to 4096 bits").first()).toBeVisible();

      // The second key is EC P-256 (ES256, as GOV.UK One Login signs), beside the RSA one.
      await expect(client.getByText("RSA (2048 to 4096 bits) or EC on the P-256 curve, for ES256.")).toBeVisible();
      const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
      await client.getByLabel("Public key (PEM or JWK)").fill(ec);
      await client.getByLabel("Key ID (optional)").fill("finvu-2026-b");
      await client.getByRole("button", { name: "Register key" }).click();
      await expect(client.getByText("Key registered (EC P-256, kid finvu-2026-b).")).toBeVisible();
      await expect(keys.getByRole("row")).toHaveCount(3);
      await expect(keys.getByRole("row").filter({ hasText: "finvu-2026-b" })).toContainText("EC P-256, ES256");
      await expect(keys).toContainText("RSA 2048, RS256");

      await client.getByLabel("Public key (PEM or JWK)").fill(pem(2048));
      await client.getByLabel("Key ID (optional)").fill("");
      await client.getByRole("button", { name: "Register key" }).click();
      await expect(client.getByText(/already has 2 active keys/)).toBeVisible();

      const second = keys.getByRole("row").filter({ hasText: "finvu-2026-b" });
      await second.getByRole("button", { name: "Revoke key" }).click();
      await second.getByRole("button", { name: "Yes, revoke the key" }).click();
      await expect(second).toContainText("Revoked");
      // Announced page-wide as well as beside the row.
      await expect(page.getByTestId("announcement")).toContainText("Key revoked. Assertions signed with it are refused from now on.");
    });

    test("every change shows in the activity list, with no secret value", async ({ page }) => {
      await signInAs(page, finvuSpoc);
      await page.goto("/orgs/finvu/manage/api");
      const activity = page.getByRole("list", { name: "Recent activity" });
      await expect(activity).toContainText("rotated after a compromise");
      await expect(activity).toContainText("revoked the secret ending");
      await expect(activity).toContainText("registered EC P-256 key finvu-2026-b");
      await expect(activity).not.toContainText("rtr_cs_");
    });
  });

test("an admin sees secrets and may reveal one (audited), but has no rotate button", async ({ page }) => {
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/manage/api");
  const client = page.getByRole("article").filter({ hasText: "Claims submission (production)" });
  await expect(client.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
  await expect(client.getByRole("button", { name: /^Revoke secret ending / })).toHaveCount(0);
  await client.getByTestId("secret-row").first().getByRole("button", { name: "Reveal" }).click();
  const value = client.getByTestId("secret-value");
  await expect(value).toHaveValue(/^rtr_cs_/);
  const tail = (await client.getByTestId("masked-secret").first().textContent())?.slice(-4);
  expect((await value.inputValue()).endsWith(tail ?? "x")).toBe(true);
  await page.reload();
  await expect(page.getByRole("list", { name: "Recent activity" })).toContainText(`revealed the secret ending ${tail}`);
});

test("an admin's forged rotate call (the SPOC's own form, replayed with the admin's session) is refused and changes nothing", async ({
  browser,
}) => {
  const spoc = await browser.newPage();
  await signInAs(spoc, people.northwindSpoc);
  await spoc.goto("/orgs/northwind/manage/api");
  const form = spoc.getByRole("article").filter({ hasText: "Claims submission (production)" }).getByTestId("rotate-form");
  const fields = await form.evaluate((f) =>
    [...new FormData(f as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)] as [string, string]),
  );
  expect(fields.some(([k]) => k.startsWith("$ACTION"))).toBe(true);

  // Control: the same replay from the SPOC reaches the action (refused there only because two
  // secrets are already live), so what refuses the admin is the authorization, not the replay.
  const control = await spoc.request.post("/orgs/northwind/manage/api", { multipart: Object.fromEntries(fields) });
  expect(control.status()).toBe(200);
  expect(await control.text()).toContain("already has two live secrets");

  const admin = await browser.newPage();
  await signInAs(admin, people.northwindAdmin);
  const response = await admin.request.post("/orgs/northwind/manage/api", { multipart: Object.fromEntries(fields) });
  // forbidden() in a no-JavaScript (MPA) action renders Next's not-found response.
  expect([403, 404]).toContain(response.status());
  expect(await response.text()).not.toContain("New secret issued");

  await spoc.reload();
  const rows = spoc.getByRole("article").filter({ hasText: "Claims submission (production)" }).getByTestId("secret-row");
  await expect(rows).toHaveCount(2);
  await expect(spoc.getByRole("list", { name: "Recent activity" })).not.toContainText("alice.admin@northwind.example rotated");
});

test("an admin changes the rotation policy; a bad value is refused with the reason and nothing changes", async ({ page }) => {
  await signInAs(page, people.finvuAdmin);
  await page.goto("/orgs/finvu/manage/api");
  const policy = page.getByRole("region", { name: "Rotation policy" });
  await policy.getByLabel("Overlap (days)").fill("200");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("The overlap must be shorter than the validity period.").first()).toBeVisible();
  // Focus lands on the field to fix, which is marked invalid, not at the top of the page.
  await expect(policy.getByLabel("Overlap (days)")).toBeFocused();
  await expect(policy.getByLabel("Overlap (days)")).toHaveAttribute("aria-invalid", "true");
  // An emptied reminders field is refused rather than silently turning every reminder off.
  await policy.getByLabel("Overlap (days)").fill("30");
  await policy.getByLabel("Reminders (days before expiry)").fill("");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("Enter the days before expiry to send reminders on").first()).toBeVisible();
  await expect(policy.getByLabel("Reminders (days before expiry)")).toBeFocused();
  await page.reload();
  await expect(policy.getByLabel("Overlap (days)")).toHaveValue("30");
  await policy.getByLabel("Reminders (days before expiry)").fill("30, 14, 7, 3, 1, 0");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("Rotation policy saved.")).toBeVisible();
  await page.reload();
  await expect(policy.getByLabel("Reminders (days before expiry)")).toHaveValue("30, 14, 7, 3, 1, 0");
});

test("the designated user of a reveal organisation rotates, stores and revokes the old secret by keyboard, losing no value", {
  lock: "northwind-sandbox",
}, async ({ page }) => {
  await signInAs(page, people.northwindSpoc);
  await page.goto("/orgs/northwind/manage/api");
  const client = page.getByRole("article").filter({ hasText: "Claims submission (sandbox)" });
  await expect(client.getByTestId("secret-row")).toHaveCount(1);
  const rotate = client.getByRole("button", { name: "Rotate secret of Claims submission (sandbox)" });
  const dayBefore = todayIn("Europe/London");
  await rotate.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Rotate the secret of Claims submission (sandbox)" });
  await expect(dialog).toBeVisible();
  // The usual choice is preselected: the old secret ends with the overlap counted from today.
  await expect(dialog.getByRole("radio", { name: /the end of the 30-day overlap/ })).toBeChecked();
  const label = dialog.getByLabel("Label for the new secret (optional)");
  await expect(label).toBeFocused();
  await page.keyboard.type("keyboard walk");
  await page.keyboard.press("Enter");

  await expect(dialog).toBeHidden();
  const value = await client.getByTestId("secret-value").inputValue();
  expect(value).toMatch(/^rtr_cs_/);
  await expect(rotate).toBeDisabled();
  await expect(client.getByTestId("secret-row")).toHaveCount(2);
  const [oldExpiry] = (await client.getByTestId("expiry-date").allTextContents()).map(dayNumber);
  // Counted from the day of the rotation (a run across midnight in London may see either day).
  expect([dayBefore + 30, todayIn("Europe/London") + 30]).toContain(oldExpiry);
  await expect(client.getByTestId("secret-label")).toHaveText("keyboard walk");

  await client.getByRole("button", { name: "I have stored it" }).focus();
  await page.keyboard.press("Enter");
  await expect(rotate).toBeFocused();
  // Under the reveal policy the value can be read again: the same one.
  const fresh = client.getByTestId("secret-row").nth(1);
  await fresh.getByRole("button", { name: "Reveal" }).focus();
  await page.keyboard.press("Enter");
  await expect(fresh.getByTestId("secret-value")).toHaveValue(value);

  // The old secret was last used three days ago: a plain confirmation, by keyboard.
  const old = client.getByTestId("secret-row").first();
  await old.getByRole("button", { name: /^Revoke secret ending / }).focus();
  await page.keyboard.press("Enter");
  await expect(old.getByRole("group", { name: "Revoke" })).toBeFocused();
  await old.getByRole("button", { name: "Yes, revoke it" }).focus();
  await page.keyboard.press("Enter");
  await expect(client.getByTestId("secret-row")).toHaveCount(1);
  await expect(page.getByTestId("announcement")).toContainText("Secret revoked.");
});
