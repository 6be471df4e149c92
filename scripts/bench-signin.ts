/**
 * `npm run bench:signin`: how long asking for a sign-in link takes for an invited address and for
 * an unknown one (docs/security.md, "Sign-in links": the two must not be told apart by time).
 *
 * Starts the self-hosted server on a fresh Postgres database with the sign-in rate limits off (so
 * every request does the full work), reads the e-mail form's own server-action fields once in
 * Chromium, then posts that form BENCH_REQUESTS times for each address, alternating, and prints the
 * median and p90 of each. Asserts nothing; never runs in `npm test`.
 *
 * Options (environment): DATABASE_URL, BENCH_REQUESTS (40).
 */
import { chromium } from "@playwright/test";
import { freshDatabase, issuer, median, requireBuild, startServer, stop } from "./bench/common";
import { CHROMIUM_ARGS, chromiumExecutable } from "./browser.mjs";

const requests = Number(process.env.BENCH_REQUESTS ?? 40);
requireBuild();
const db = await freshDatabase("rotor_bench_signin");
await db.handle.close();
const server = await startServer("self-hosted", db.url, db.keySpec, {
  ROTOR_LIMIT_SIGN_IN_PER_EMAIL: "off",
  ROTOR_LIMIT_SIGN_IN_PER_ADDRESS: "off",
  ROTOR_DEMO: "true",
});
try {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  await page.goto(`${issuer}/signin`);
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "E-mail me a sign-in link" }) });
  const fields = await form.evaluate((f) =>
    [...new FormData(f as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)] as [string, string]),
  );
  await browser.close();

  const ask = async (email: string): Promise<number> => {
    const body = new FormData();
    for (const [k, v] of fields) body.append(k, k === "email" ? email : v);
    const started = performance.now();
    const res = await fetch(`${issuer}/signin`, { method: "POST", body, headers: { origin: issuer }, redirect: "manual" });
    await res.arrayBuffer();
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await ask("warm-up@nowhere.example");
  const invited: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < requests; i++) {
    invited.push(await ask("alice.admin@northwind.example"));
    unknown.push(await ask(`nobody${i}@nowhere.example`));
  }
  const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
  console.info(`${requests} requests each, self-hosted server on Postgres, loader on the same machine:`);
  console.info(`  invited address  median ${median(invited).toFixed(1)} ms  p90 ${p90(invited).toFixed(1)} ms`);
  console.info(`  unknown address  median ${median(unknown).toFixed(1)} ms  p90 ${p90(unknown).toFixed(1)} ms`);
} finally {
  await stop(server);
}
process.exit(0);
