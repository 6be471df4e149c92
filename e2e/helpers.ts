import { expect, type Page } from "@playwright/test";

export const people = {
  northwindAdmin: "Alice Adeyemi",
  northwindSpoc: "Northwind API team (SPOC)",
  northwindMember: "Mo Mahmood",
  northwindDeactivated: "Dave Doyle",
  finvuAdmin: "Priya Raman",
  operator: "Olivia Operator",
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

/**
 * Today's day number in a time zone, by this machine's clock (the servers under test share it).
 * A page's "today" lies between two readings taken before and after it was rendered, so a test
 * that compares with both cannot fail by crossing midnight.
 */
export function todayIn(timeZone: string): number {
  return dayNumber(new Intl.DateTimeFormat("en-GB", { timeZone, day: "2-digit", month: "2-digit", year: "numeric" }).format(Date.now()));
}
