// Which Chromium the browser tests and scripts drive: ROTOR_CHROMIUM if set, else the system's
// Chromium where a Linux distribution installed one (Debian's `chromium`), else Playwright's own
// (`npx playwright install chromium`, once, on macOS or Windows). Plain JavaScript, so both
// scripts/test-all.mjs and the TypeScript configs can use it.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"];

/** The executable to launch, or undefined to let Playwright use the browser it installed. */
export function chromiumExecutable(environment = process.env) {
  if (environment.ROTOR_CHROMIUM) return environment.ROTOR_CHROMIUM;
  return SYSTEM_CHROMIUMS.find((candidate) => existsSync(candidate));
}

/** Null when a browser is there to run; otherwise what to do about it, in one sentence. */
export function missingBrowserAdvice(environment = process.env) {
  const chosen = chromiumExecutable(environment);
  if (chosen) {
    return existsSync(chosen) ? null : `ROTOR_CHROMIUM names ${chosen}, which does not exist; fix the path or unset it.`;
  }
  if (existsSync(chromium.executablePath())) return null;
  return (
    "No Chromium found for the browser tests. Run `npx playwright install chromium` once " +
    "(or on Debian/Ubuntu `apt-get install chromium`, or set ROTOR_CHROMIUM to a Chromium executable), then run npm test again."
  );
}

/** The flags a headless Chromium needs in containers and CI (no sandbox, no GPU, no background traffic). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
