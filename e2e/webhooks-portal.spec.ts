import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { people, signInAs } from "./helpers";

/*
 * Manage > Webhooks (docs/webhooks.md): an admin adds an endpoint that points at a receiver this
 * spec runs, sees its signing secret once, sends a test event, sees it delivered with 200 in the
 * deliveries, and the receiver verifies the signature with the standardwebhooks package. The
 * endpoint listens to one event no other spec causes and is deleted at the end, so the
 * organisation's other specs see nothing of it. A member sees no Webhooks tab and is refused the page.
 */

const tab = "/orgs/northwind/manage/webhooks";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let receiver: Server;
let base: string;
const received: Received[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  // Outside production Rotor may send to 127.0.0.1 (lib/webhooks/policy.ts).
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

test("an admin adds an endpoint, sees its signing secret once, and a test event reaches it signed and shows 200", async ({ page }) => {
  const path = `/rotor/${randomUUID()}`;
  const url = `${base}${path}`;
  const description = `E2E receiver ${path.slice(-8)}`;
  await signInAs(page, people.northwindAdmin);
  await page.goto("/orgs/northwind/manage/offices");
  await page.getByRole("navigation", { name: "Manage organisation" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page).toHaveURL(new RegExp(`${tab}$`));
  await expect(page.getByRole("heading", { name: "Webhooks", level: 2 })).toBeVisible();

  const add = page.getByRole("region", { name: "Add endpoint" });
  // Nothing ticked is refused on the events, with what was typed kept.
  await add.getByLabel("Endpoint URL").fill(url);
  await add.getByRole("button", { name: "Add endpoint" }).click();
  await expect(add.getByRole("alert")).toContainText("Please correct the highlighted fields.");
  await expect(add.getByRole("group", { name: "Events to send" })).toContainText("Choose at least one event to send.");
  await expect(add.getByLabel("Endpoint URL")).toHaveValue(url);

  await add.getByLabel("Description (optional)").fill(description);
  // "All events" ticks every box, and clears them again.
  const events = add.getByRole("group", { name: "Events to send" });
  await events.getByLabel("All events").check();
  await expect(events.getByRole("checkbox", { checked: true })).toHaveCount(11);
  await events.getByLabel("All events").uncheck();
  await expect(events.getByRole("checkbox", { checked: true })).toHaveCount(0);
  await events.getByLabel("key.expired", { exact: true }).check();
  await add.getByRole("button", { name: "Add endpoint" }).click();
  await expect(add.getByRole("status")).toContainText("it will not be shown again");
  const secret = await add.getByTestId("secret-value").inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);

  // Once: a fresh load of the page lists the endpoint but never its secret.
  await page.reload();
  await expect(page.getByTestId("secret-value")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret);
  const row = page.getByRole("table", { name: "Webhook endpoints of Northwind Insurance" }).getByRole("row").filter({ hasText: url });
  await expect(row).toContainText(description);
  await expect(row).toContainText("key.expired");
  await expect(row).toContainText("On");
  await row.getByRole("link", { name: url }).click();

  await expect(page.getByRole("heading", { name: description })).toBeVisible();
  await expect(page.getByTestId("endpoint-url")).toHaveText(url);
  // The tab stays marked while on one of its pages.
  await expect(page.getByRole("navigation", { name: "Manage organisation" }).getByRole("link", { name: "Webhooks" })).toHaveAttribute(
    "aria-current",
    "true",
  );
  await expect(page.getByTestId("signing-secret-tail")).toHaveText(`whsec_…${secret.slice(-4)}`);

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("test-event-result")).toContainText(/Test event delivered: the endpoint answered 200 in \d+ ms\./);
  const delivery = page.getByRole("table", { name: "Recent deliveries" }).getByRole("row").filter({ hasText: "webhook.test" });
  await expect(delivery).toHaveCount(1);
  await expect(delivery).toContainText("Delivered");
  await expect(delivery.getByRole("cell").nth(3)).toHaveText("200");

  // The endpoint's page with a delivery listed and the rotation panel open: no serious accessibility violation
  // (e2e/accessibility.spec.ts scans the pages the demo has; it has no endpoint).
  await page.getByRole("button", { name: "Rotate signing secret" }).click();
  await expect(page.getByLabel("Overlap in hours")).toHaveValue("24");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.getByRole("button", { name: "Cancel" }).click();

  // The receiver's side: one signed POST to its path, verified with the secret shown once.
  const got = received.filter((r) => r.path === path);
  expect(got).toHaveLength(1);
  const event = new Webhook(secret).verify(got[0]!.body, got[0]!.headers as Record<string, string>) as { type: string };
  expect(event.type).toBe("webhook.test");
  // And a secret it was not given does not verify it.
  expect(() =>
    new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(got[0]!.body, got[0]!.headers as Record<string, string>),
  ).toThrow();

  // Turning it off asks first; while off, no test event or replay can be sent; turning it on needs no confirmation.
  await page.getByRole("button", { name: "Turn off this endpoint" }).click();
  await page.getByRole("button", { name: "Yes, turn it off" }).click();
  await expect(page.getByTestId("announcement")).toContainText("Endpoint turned off.");
  const details = page.getByRole("region", { name: "Details" });
  await expect(details.getByText("Off", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send test event" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Replay/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Turn on this endpoint" }).click();
  await expect(details.getByText("On", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send test event" })).toBeVisible();

  // Deleting asks first, then goes back to the list, which no longer has it.
  await page.getByRole("button", { name: "Delete endpoint" }).click();
  await page.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(page).toHaveURL(new RegExp(`${tab}$`));
  await expect(page.getByTestId("announcement")).toContainText(`Endpoint ${url} deleted.`);
  await expect(page.getByRole("link", { name: url })).toHaveCount(0);
});

test("a member sees no Webhooks tab and is refused the page", async ({ page }) => {
  await signInAs(page, people.northwindMember);
  await page.goto("/orgs/northwind/manage");
  await expect(page.getByRole("navigation", { name: "Manage organisation" }).getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  const response = await page.goto(tab);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});

test("the operator reaches the platform-wide webhooks from the Platform page", async ({ page }) => {
  await signInAs(page, people.operator);
  await page.goto("/platform");
  await page.getByRole("link", { name: /^Webhooks:/ }).click();
  await expect(page).toHaveURL(/\/platform\/webhooks$/);
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByText("Platform-wide endpoints receive every organisation's events")).toBeVisible();
  await expect(page.getByRole("region", { name: "Add endpoint" }).getByRole("group", { name: "Events to send" })).toBeVisible();
});
