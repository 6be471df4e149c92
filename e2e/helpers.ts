import { request as httpRequest } from "node:http";
import { expect, type Page } from "@playwright/test";

export const people = {
  northwindAdmin: "Alice Adeyemi",
  northwindSpoc: "Northwind API team (SPOC)",
  northwindMember: "Mo Mahmood",
  northwindDeactivated: "Dave Doyle",
  finvuAdmin: "Priya Raman",
  operator: "Olivia Operator",
  /** Contoso Health's admin, also a member of Northwind (db/seed.ts). */
  twoOrganisations: "Ravi Patel",
} as const;

/** Demo sign-in: "Continue as" a seeded person. */
export async function signInAs(page: Page, name: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Continue as ${name}` }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/** DD/MM/YYYY (seed 000's format) to a UTC day number, for counting calendar days. */
export function dayNumber(ddmmyyyy: string): number {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(ddmmyyyy.trim());
  if (!m) throw new Error(`Not DD/MM/YYYY: ${ddmmyyyy}`);
  return Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])) / 86_400_000;
}

/** An HTTP request with headers a browser would never let a page set (Host among them). */
export function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? "GET",
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Headers an attacker sends to pass for another host. */
export const SPOOFED = { host: "attacker.example", "x-forwarded-host": "attacker.example", "x-forwarded-proto": "https" };

/**
 * Today's day number in a time zone, by this machine's clock (the servers under test share it).
 * A page's "today" lies between two readings taken before and after it was rendered, so a test
 * that compares with both cannot fail by crossing midnight.
 */
export function todayIn(timeZone: string): number {
  return dayNumber(new Intl.DateTimeFormat("en-GB", { timeZone, day: "2-digit", month: "2-digit", year: "numeric" }).format(Date.now()));
}

/** The platform operator creates a client for Northwind in Platform > Clients; its client ID. */
export async function createClientInPortal(page: Page, name: string, settings: { scopes: string }): Promise<string> {
  await signInAs(page, people.operator);
  await page.goto("/platform/clients");
  const form = page.getByRole("region", { name: "Create a client" });
  await form.getByLabel("Organisation").selectOption({ label: "Northwind Insurance" });
  await form.getByLabel("Client name").fill(name);
  await form.getByLabel("Scopes (optional)").fill(settings.scopes);
  await form.getByRole("button", { name: "Create client" }).click();
  const status = form.getByRole("status");
  await expect(status).toContainText(`"${name}" for Northwind Insurance`);
  return /Created client (\S+)/.exec((await status.textContent()) ?? "")![1]!;
}

/** The operator disables (confirming first) or enables a client on its Platform page. */
export async function switchClientInPortal(page: Page, clientId: string, to: "disable" | "enable"): Promise<void> {
  await page.goto(`/platform/clients/${clientId}`);
  if (to === "disable") {
    await page.getByRole("button", { name: "Disable client" }).click();
    await page.getByRole("button", { name: "Disable it now" }).click();
    await expect(page.getByTestId("client-status")).toContainText("Disabled since");
  } else {
    await page.getByRole("button", { name: "Enable client" }).click();
    await expect(page.getByTestId("client-status")).toHaveText("Enabled");
  }
}
