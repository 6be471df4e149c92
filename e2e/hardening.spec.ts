import { expect, test } from "@playwright/test";
import { raw, SPOOFED } from "./helpers";

/*
 * What every answer carries, and what no forged header can bend (docs/security.md). Runs on both
 * mounts: the self-hosted server and plain `next start`.
 */

const base = () => test.info().project.use.baseURL as string;

test("every page carries a nonce-based Content-Security-Policy, and Next's scripts carry that nonce", async () => {
  const res = await raw(base(), "/signin", {});
  const csp = String(res.headers["content-security-policy"]);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  const scripts = csp.split("; ").find((d) => d.startsWith("script-src "));
  expect(scripts).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(csp).toContain("frame-ancestors 'none'");
  const tags = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  expect(res.headers["permissions-policy"]).toContain("camera=()");
  expect(res.headers["x-frame-options"]).toBe("DENY");
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  // The e2e servers are plain http: no HSTS (it would pin localhost to https).
  expect(res.headers["strict-transport-security"]).toBeUndefined();
  const again = await raw(base(), "/signin", {});
  expect(String(again.headers["content-security-policy"])).not.toContain(nonce!);
});

test("the machine paths send the same baseline headers", async () => {
  for (const [method, path] of [
    ["GET", "/.well-known/jwks.json"],
    ["GET", "/.well-known/oauth-authorization-server"],
    ["POST", "/oauth/token"],
  ] as const) {
    const res = await raw(base(), path, { method, headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });
    expect(res.headers["x-content-type-options"], path).toBe("nosniff");
    expect(res.headers["x-frame-options"], path).toBe("DENY");
    expect(res.headers["permissions-policy"], path).toContain("camera=()");
    expect(res.headers["content-security-policy"], path).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  }
});

test("the health probes answer on every mount, uncached, with the machine headers and no sign-in redirect", async () => {
  const health = await raw(base(), "/healthz", {});
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toEqual({ status: "ok" });
  const ready = await raw(base(), "/readyz", { headers: { host: "evil.example", origin: "https://evil.example" } });
  expect(ready.status).toBe(200);
  expect(JSON.parse(ready.body)).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", signing_key: "ok" } });
  for (const res of [health, ready]) {
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  }
});

test("a server action posted from another site is refused with 403 and signs nobody in", async ({ page }) => {
  // The demo sign-in form's own fields (a no-JavaScript form post of its server action).
  await page.goto("/signin");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Continue as Alice Adeyemi" }) });
  const fields = await form.evaluate((f) => {
    // The button that was "clicked" carries the person's address.
    const submitter = f.querySelector<HTMLButtonElement>('button[aria-label="Continue as Alice Adeyemi"]');
    return [...new FormData(f as HTMLFormElement, submitter).entries()].map(([k, v]) => [k, String(v)]);
  });
  expect(fields.some(([k]) => k?.startsWith("$ACTION"))).toBe(true);
  const boundary = "----rotorprobe";
  const body = `${fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("")}--${boundary}--\r\n`;
  const post = (headers: Record<string, string>) =>
    raw(base(), "/signin", { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}`, ...headers }, body });
  // A plain cross-site form, and the same with the caller's own Host headers made to match its Origin.
  for (const extra of [{ origin: "http://attacker.example" }, { origin: "http://attacker.example", ...SPOOFED }, { origin: "null" }]) {
    const res = await post(extra);
    expect(res.status, JSON.stringify(extra)).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.body).toContain("sent from another site");
  }
  // Control: the very same post from our own origin reaches the action and signs Alice in.
  const own = await post({ origin: new URL(base()).origin });
  expect(own.status).not.toBe(403);
  expect(String(own.headers["set-cookie"])).toContain("authjs.session-token");
});

test("Auth.js describes its endpoints at the configured origin, whatever Host the request claims", async () => {
  const providers = await raw(base(), "/api/auth/providers", { headers: SPOOFED });
  expect(providers.status).toBe(200);
  expect(providers.body).not.toContain("attacker.example");
  expect(JSON.parse(providers.body).email.callbackUrl).toBe(`${new URL(base()).origin}/api/auth/callback/email`);
});

test("a path with malformed percent-encoding is a 400, not a server error", async () => {
  for (const path of ["/api/v1/clients/%ED%A0%80/secrets", "/orgs/%FF", "/signin/%C0%AF"]) {
    const res = await raw(base(), path, {});
    expect(res.status, path).toBe(400);
  }
});

test("a cross-site server-action post to any path is a 403, and an oversized form a 413", async () => {
  for (const path of ["/api/zzz", "/oauth/zzz", "/.well-known/zzz", "/favicon.ico"]) {
    const res = await raw(base(), path, {
      method: "POST",
      headers: { origin: "http://attacker.example", "next-action": "0123456789abcdef", "content-type": "text/plain" },
      body: "[]",
    });
    expect(res.status, path).toBe(403);
  }
  const big = await raw(base(), "/signin", {
    method: "POST",
    headers: { origin: new URL(base()).origin, "content-type": "text/plain", "content-length": String(2 * 1024 * 1024) },
    body: "x".repeat(2 * 1024 * 1024),
  });
  expect(big.status).toBe(413);
});

test("a form posted from our own origin works behind a proxy that rewrites Host", async ({ page }) => {
  await page.goto("/signin");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Continue as Alice Adeyemi" }) });
  const fields = await form.evaluate((f) => {
    const submitter = f.querySelector<HTMLButtonElement>('button[aria-label="Continue as Alice Adeyemi"]');
    return [...new FormData(f as HTMLFormElement, submitter).entries()].map(([k, v]) => [k, String(v)]);
  });
  const boundary = "----rotorprobe";
  const body = `${fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("")}--${boundary}--\r\n`;
  const res = await raw(base(), "/signin", {
    method: "POST",
    headers: { host: "rotor-internal:3000", origin: new URL(base()).origin, "content-type": `multipart/form-data; boundary=${boundary}` },
    body,
  });
  expect(res.status).toBeLessThan(400);
  expect(String(res.headers["set-cookie"])).toContain("authjs.session-token");
});

test("route handlers carry the baseline headers too", async () => {
  for (const path of ["/api/auth/providers", "/api/v1/openapi.json", "/api/v1/clients"]) {
    const res = await raw(base(), path, {});
    expect(res.headers["permissions-policy"], path).toContain("camera=()");
    expect(res.headers["cross-origin-opener-policy"], path).toBe("same-origin");
  }
});
