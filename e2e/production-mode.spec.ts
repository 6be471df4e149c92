import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:net";
import { expect, test } from "@playwright/test";
import { generateKeyPair, SignJWT } from "jose";
import postgres from "postgres";

/*
 * A built server in production mode (ROTOR_ENV=production: no allowance for a test JWKS server on
 * localhost or over plain http) refuses JWKS URLs that point into its own network
 * (docs/security.md, "Outbound requests"): the designated user setting one through the
 * management API gets a 422 saying why and nothing is saved; a URL stored earlier is never
 * connected to when an assertion needs it. The server is started here, for this spec only (its
 * own project), on its own database: production refuses the embedded one, so this spec needs the
 * Postgres server, as in CI.
 */
// One server for both tests, in order.
test.describe.configure({ mode: "serial" });

const databaseUrl = process.env.E2E_DATABASE_URL ?? "";
const port = Number(process.env.E2E_PORT_BASE ?? 3200) + 5;
const base = `http://localhost:${port}`;
const ISSUER = "https://rotor.production.test";
const PRIVATE = /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address\.$/;

let server: ChildProcess | null = null;
let target: Server;
let connections = 0;
let storedUri = "";
let prodDatabase = "";
let seeded = { token: "", production: "", sandbox: "", webhook: "" };

test.beforeAll(async () => {
  test.skip(databaseUrl === "", "Production mode needs the Postgres server (set DATABASE_URL), as in CI.");
  test.setTimeout(180_000);
  // Where the stored URL points: anything that connects here is counted, so a refusal that still
  // connected would show.
  target = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const targetPort = (target.address() as { port: number }).port;
  storedUri = `https://localhost:${targetPort}/jwks.json`;

  const url = new URL(databaseUrl);
  url.pathname = `${url.pathname}_production`;
  prodDatabase = url.toString();
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: prodDatabase,
    ROTOR_ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
  };
  const prepared = spawnSync("npx", ["tsx", "e2e/prepare-production.ts"], {
    env: { ...env, E2E_STORED_JWKS_URI: storedUri },
    encoding: "utf8",
  });
  if (prepared.status !== 0) throw new Error(`e2e/prepare-production.ts failed: ${prepared.stderr}`);
  seeded = JSON.parse(prepared.stdout.trim().split("\n").pop() ?? "{}");

  server = spawn("npx", ["next", "start", "-p", String(port)], {
    env: {
      ...env,
      ROTOR_ENV: "production",
      ROTOR_PUBLIC_URL: ISSUER,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      ROTOR_DATA_DIR: ".data/e2e-production",
    },
    stdio: "ignore",
    detached: true,
  });
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`${base}/api/v1/openapi.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (tries > 600 || server.exitCode !== null) throw new Error("the production server did not start");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

test.afterAll(async () => {
  // The server and its children: the process group this spec started.
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await new Promise((resolve) => (target ? target.close(resolve) : resolve(null)));
});

async function storedJwksUri(clientId: string): Promise<{ jwksUri: string | null; changes: number }> {
  const sql = postgres(prodDatabase, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select jwks_uri from oauth_client where client_id = ${clientId}`;
    const [audit] = await sql`select count(*)::int as n from audit_event where action = 'client.jwks_uri_changed'`;
    return { jwksUri: row?.jwks_uri ?? null, changes: audit?.n ?? -1 };
  } finally {
    await sql.end();
  }
}

test("the designated user setting a JWKS URL on a private or loopback address is refused with the reason, and nothing is saved", async ({
  request,
}) => {
  const put = async (jwksUri: string) => {
    const res = await request.put(`${base}/api/v1/clients/${seeded.production}/jwks-uri`, {
      headers: { authorization: `Bearer ${seeded.token}`, "idempotency-key": randomUUID() },
      data: { jwksUri },
    });
    return { status: res.status(), type: res.headers()["content-type"], body: await res.json() };
  };
  const refusal = (reason: string) => ({
    status: 422,
    type: "application/problem+json",
    body: {
      type: "about:blank",
      title: "Unprocessable content",
      status: 422,
      detail: `This JWKS URL cannot be used: ${reason}`,
      errors: [{ field: "jwksUri", message: `This JWKS URL cannot be used: ${reason}` }],
    },
  });
  expect(await put("https://10.0.0.1/jwks.json")).toEqual(refusal("10.0.0.1 is not a public address."));
  expect(await put("https://169.254.169.254/latest/meta-data/")).toEqual(refusal("169.254.169.254 is not a public address."));
  expect(await put(storedUri.replace("localhost", "127.0.0.1").replace("https:", "http:"))).toEqual(refusal("Use an https:// URL."));
  const byName = await put(storedUri);
  expect(byName).toMatchObject({ status: 422, body: { errors: [{ field: "jwksUri" }] } });
  expect(byName.body.detail.replace("This JWKS URL cannot be used: ", "")).toMatch(PRIVATE);
  expect(await storedJwksUri(seeded.production)).toEqual({ jwksUri: null, changes: 0 });
  expect(connections).toBe(0);
});

test("a JWKS URL on a loopback name stored earlier is never connected to: the assertion gets the generic invalid_client", async ({
  request,
}) => {
  const { privateKey } = await generateKeyPair("RS256");
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ iss: seeded.sandbox, sub: seeded.sandbox, aud: ISSUER, iat: now, exp: now + 60, jti: randomUUID() })
    .setProtectedHeader({ alg: "RS256", kid: "published-only" })
    .sign(privateKey);
  const res = await request.post(`${base}/oauth/token`, {
    form: {
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    },
  });
  expect({ status: res.status(), body: await res.json() }).toEqual({
    status: 401,
    body: {
      error: "invalid_client",
      error_description:
        "The client assertion could not be verified with a key of this client. The client's designated user can see why with the assertion checker in Dev Tools.",
    },
  });
  expect(connections).toBe(0);
  const sql = postgres(prodDatabase, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`
      select j.last_error from client_jwks j join oauth_client c on c.id = j.client_id where c.client_id = ${seeded.sandbox}`;
    expect(row?.last_error).toMatch(PRIVATE);
  } finally {
    await sql.end();
  }
});

test("a webhook endpoint on a private, loopback or metadata address is refused with the reason, and one stored earlier is never connected to", async ({
  request,
}) => {
  const post = async (url: string) => {
    const res = await request.post(`${base}/api/v1/webhooks`, {
      headers: { authorization: `Bearer ${seeded.token}`, "idempotency-key": randomUUID() },
      data: { url, eventTypes: ["secret.issued"] },
    });
    return { status: res.status(), type: res.headers()["content-type"], body: await res.json() };
  };
  const refusal = (reason: string) => ({
    status: 422,
    type: "application/problem+json",
    body: {
      type: "about:blank",
      title: "Unprocessable content",
      status: 422,
      detail: `Rotor cannot send to this address: ${reason}`,
      errors: [{ field: "url", message: `Rotor cannot send to this address: ${reason}` }],
    },
  });
  expect(await post("https://10.0.0.1/hooks")).toEqual(refusal("10.0.0.1 is not a public address."));
  expect(await post("https://169.254.169.254/latest/meta-data/")).toEqual(refusal("169.254.169.254 is not a public address."));
  expect(await post("https://[::ffff:127.0.0.1]/hooks")).toEqual(refusal("::ffff:7f00:1 is not a public address."));
  expect(await post(storedUri.replace("localhost", "127.0.0.1").replace("https:", "http:"))).toEqual(refusal("Use an https:// URL."));
  const byName = await post(storedUri.replace("/jwks.json", "/hooks"));
  expect(byName).toMatchObject({ status: 422, body: { errors: [{ field: "url" }] } });
  expect(byName.body.detail.replace("Rotor cannot send to this address: ", "")).toMatch(PRIVATE);
  // Only the endpoint stored before: nothing was added.
  const list = await request.get(`${base}/api/v1/webhooks`, { headers: { authorization: `Bearer ${seeded.token}` } });
  expect(((await list.json()) as { endpoints: { id: string }[] }).endpoints.map((e) => e.id)).toEqual([seeded.webhook]);

  // The stored one: a test event is refused after the name is resolved, before any connection.
  const test = await request.post(`${base}/api/v1/webhooks/${seeded.webhook}/test`, {
    headers: { authorization: `Bearer ${seeded.token}`, "idempotency-key": randomUUID() },
  });
  const delivery = (await test.json()) as { status: string; lastStatusCode: number | null; lastError: string };
  expect({ status: test.status(), delivery: delivery.status, code: delivery.lastStatusCode }).toEqual({
    status: 200,
    delivery: "dead",
    code: null,
  });
  expect(delivery.lastError).toMatch(PRIVATE);
  expect(connections).toBe(0);
});
