import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { SignJWT } from "jose";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { auditEvents } from "@/db/schema";

/*
 * The operator CLI end to end, as a script would use it: separate processes on a fresh embedded
 * database, then a real server process on that database answering /oauth/token.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "rotor-cli-"));
const issuer = "https://auth.rotor.test";
const env = { ...process.env, DATABASE_URL: "", ROTOR_DATA_DIR: dataDir, ROTOR_PUBLIC_URL: issuer, ROTOR_ENV: "test" };
const tsx = path.resolve("node_modules/.bin/tsx");
let server: ChildProcess | null = null;

function rotor(...args: string[]) {
  const r = spawnSync(tsx, ["scripts/rotor.ts", ...args], { env, encoding: "utf8" });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr
      .split("\n")
      .filter((l) => l && !l.includes("npm warn"))
      .join("\n"),
  };
}
/** The CLI without blocking this process: for a run that calls back into a receiver listening here. */
function rotorAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["scripts/rotor.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}
function rotorJson(...args: string[]) {
  const r = rotor("--json", ...args);
  expect(r.stderr, args.join(" ")).toBe("");
  expect(r.status, args.join(" ")).toBe(0);
  return JSON.parse(r.stdout);
}
function expectOneLineError(r: ReturnType<typeof rotor>, pattern: RegExp) {
  expect(r.status).not.toBe(0);
  expect(r.stderr.split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(/^rotor: error: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stdout).toBe("");
}

afterAll(() => {
  server?.kill("SIGTERM");
});

const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048 });

// Every step starts real CLI processes (about 1.3 s each, more under load): a longer budget per test.
describe("the operator CLI on a fresh embedded database", { timeout: 300_000 }, () => {
  let secretClient = "";
  let keyClient = "";
  const secrets: string[] = [];
  const signingSecrets: string[] = [];
  const webhook = { orgEndpoint: "", platformEndpoint: "", url: "" };
  const keys: { privateKey: ReturnType<typeof pair>["privateKey"]; kid: string }[] = [];

  it("bootstraps an operator and an organisation, with one JSON document per command", () => {
    expect(rotorJson("operator", "add", "--email", "Ops@Platform.example").operator.email).toBe("ops@platform.example");
    const org = rotorJson(
      "org",
      "create",
      "--name",
      "Acme Claims Ltd",
      "--time-zone",
      "Europe/London",
      "--reminders",
      "30,14,7,1,0",
      "--show-once",
    );
    expect(org.organisation).toMatchObject({
      slug: "acme-claims-ltd",
      reminderOffsets: [30, 14, 7, 1, 0],
      secretRevealPolicy: "show_once",
    });
    expect(rotorJson("user", "invite", "--org", "acme-claims-ltd", "--email", "admin@acme.example", "--role", "admin").role).toBe("admin");
    expect(rotorJson("user", "invite", "--org", "acme-claims-ltd", "--email", "spoc@acme.example", "--role", "spoc").role).toBe("spoc");
  });

  it("creates a platform API token for an operator only, printed once; removing the operator revokes it; the last stays", () => {
    expect(rotorJson("operator", "add", "--email", "second@platform.example").operator.email).toBe("second@platform.example");
    const { token } = rotorJson("operator", "token", "--email", "second@platform.example", "--name", "ops pipeline", "--days", "7");
    expect(token).toEqual({
      id: expect.any(String),
      value: expect.stringMatching(/^rtr_pat_/),
      scope: "platform",
      expiresAt: expect.any(String),
    });
    expectOneLineError(
      rotor("operator", "token", "--email", "nobody@platform.example", "--name", "x"),
      /--email: nobody@platform\.example is not a platform operator/,
    );
    expectOneLineError(
      rotor("operator", "token", "--email", "second@platform.example", "--name", "x", "--days", "5"),
      /--days: Choose 7, 30, 90, 180 days\./,
    );
    expect(rotorJson("operator", "remove", "--email", "second@platform.example")).toEqual({
      removed: { email: "second@platform.example", apiTokensRevoked: 1 },
    });
    expectOneLineError(
      rotor("operator", "remove", "--email", "ops@platform.example"),
      /--email: ops@platform\.example is the last platform operator; add another first\./,
    );
    expect(rotorJson("operator", "list").operators.map((o: { email: string }) => o.email)).toEqual(["ops@platform.example"]);
  });

  it("lists organisations as DTOs with --json: named fields, no internal id or bookkeeping columns", () => {
    expect(rotorJson("org", "list")).toEqual({
      organisations: [
        {
          slug: "acme-claims-ltd",
          name: "Acme Claims Ltd",
          timeZone: "Europe/London",
          locale: "en-GB",
          validityDays: 180,
          overlapDays: 30,
          reminderOffsets: [30, 14, 7, 1, 0],
          autoIssue: false,
          secretRevealPolicy: "show_once",
        },
      ],
    });
  });

  it("creates a client with two live secrets, each value printed once, in that command's output only", () => {
    secretClient = rotorJson("client", "create", "--org", "acme-claims-ltd", "--name", "Claims API", "--scope", "claims:read,claims:write")
      .client.clientId;
    for (let i = 0; i < 2; i++) secrets.push(rotorJson("secret", "rotate", "--client", secretClient).secret.value);
    const listed = rotorJson("secret", "list", "--client", secretClient);
    expect(listed.secrets.filter((s: { state: string }) => s.state === "in_overlap")).toHaveLength(2);
    for (const v of secrets) expect(JSON.stringify(listed)).not.toContain(v);
    const human = rotor("secret", "list", "--client", secretClient);
    expect(human.stdout).toMatch(/in_overlap/);
  });

  it("creates a client with two keys, from a PEM file and a JWK file", () => {
    keyClient = rotorJson("client", "create", "--org", "acme-claims-ltd", "--name", "Signed client").client.clientId;
    const a = pair();
    const b = pair();
    const pemFile = path.join(dataDir, "a.pem");
    const jwkFile = path.join(dataDir, "b.jwk");
    writeFileSync(pemFile, a.publicKey.export({ type: "spki", format: "pem" }));
    writeFileSync(jwkFile, JSON.stringify(b.publicKey.export({ format: "jwk" })));
    keys.push({
      privateKey: a.privateKey,
      kid: rotorJson("key", "add", "--client", keyClient, "--file", pemFile, "--kid", "key-a").key.kid,
    });
    keys.push({
      privateKey: b.privateKey,
      kid: rotorJson("key", "add", "--client", keyClient, "--file", jwkFile, "--expires", "2099-12-31").key.kid,
    });
    expect(rotorJson("key", "list", "--client", keyClient).keys).toHaveLength(2);
  });

  it("sets and removes a client's JWKS URL, refusing one that can never be fetched", () => {
    expect(rotorJson("key", "jwks-url", "--client", keyClient, "--url", "https://keys.acme.example/jwks.json")).toEqual({
      jwksUri: "https://keys.acme.example/jwks.json",
    });
    expectOneLineError(
      rotor("key", "jwks-url", "--client", keyClient, "--url", "ftp://keys.acme.example/"),
      /--url: This JWKS URL cannot be used: Use an https:\/\/ URL\./,
    );
    expectOneLineError(rotor("key", "jwks-url", "--client", keyClient), /Give either --url <url> or --remove\./);
    expect(rotorJson("key", "jwks-url", "--client", keyClient, "--remove")).toEqual({ jwksUri: null });
  });

  it("registers an EC P-256 key for ES256 and names its type; refuses another curve saying what is accepted", () => {
    const ecClient = rotorJson("client", "create", "--org", "acme-claims-ltd", "--name", "ES256 client").client.clientId;
    const ecFile = path.join(dataDir, "ec.pem");
    writeFileSync(ecFile, generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }));
    expect(rotorJson("key", "add", "--client", ecClient, "--file", ecFile, "--kid", "ec-1").key).toMatchObject({
      kid: "ec-1",
      type: "EC",
      alg: "ES256",
      bits: 256,
    });
    const second = path.join(dataDir, "ec-2.jwk");
    writeFileSync(second, JSON.stringify(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" })));
    expect(rotor("key", "add", "--client", ecClient, "--file", second, "--kid", "ec-2").stdout).toBe(
      `Registered key ec-2 (EC P-256) for ${ecClient}.\n`,
    );
    expect(rotor("key", "list", "--client", ecClient).stdout).toMatch(/ ec-1 EC P-256 active\n/);
    const p384 = path.join(dataDir, "p384.pem");
    writeFileSync(p384, generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ type: "spki", format: "pem" }));
    expectOneLineError(
      rotor("key", "add", "--client", ecClient, "--file", p384),
      /--file: This is an EC key on the P-384 curve\. Only RSA keys of 2048 to 4096 bits and EC keys on the P-256 curve are accepted\./,
    );
  });

  it("refuses bad input with a one-line error and changes nothing", () => {
    const before = JSON.stringify([
      rotorJson("secret", "list", "--client", secretClient),
      rotorJson("key", "list", "--client", keyClient),
      rotorJson("org", "list"),
    ]);
    expectOneLineError(rotor("client", "create", "--org", "no-such-org", "--name", "X"), /There is no organisation "no-such-org"/);
    expectOneLineError(rotor("secret", "rotate", "--client", secretClient), /already has two live secrets/);
    expectOneLineError(
      rotor("secret", "rotate", "--client", secretClient, "--old-secret", "forever"),
      /Choose overlap, unchanged, until or revoke/,
    );
    expectOneLineError(
      rotor("secret", "rotate", "--client", secretClient, "--old-secret", "until"),
      /Give the old secret's last day as YYYY-MM-DD/,
    );
    const small = path.join(dataDir, "small.pem");
    writeFileSync(small, generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }));
    expectOneLineError(rotor("key", "add", "--client", keyClient, "--file", small), /--file: This RSA key is 1024 bits/);
    const priv = path.join(dataDir, "private.pem");
    writeFileSync(priv, pair().privateKey.export({ type: "pkcs8", format: "pem" }));
    expectOneLineError(rotor("key", "add", "--client", keyClient, "--file", priv), /This is a private key/);
    expectOneLineError(rotor("org", "create", "--name", "Bad", "--time-zone", "Mars/Olympus"), /--time-zone: Use an IANA time zone/);
    expectOneLineError(
      rotor("org", "create", "--name", "Bad", "--time-zone", "UTC", "--validity-days", "30", "--overlap-days", "30"),
      /--overlap-days: The overlap must be shorter/,
    );
    expectOneLineError(
      rotor("user", "invite", "--org", "acme-claims-ltd", "--email", "second@acme.example", "--role", "spoc"),
      /already has a designated user/,
    );
    expectOneLineError(rotor("cron", "run", "--now", "yesterday"), /--now: Give an ISO 8601 instant/);
    expect(
      JSON.stringify([
        rotorJson("secret", "list", "--client", secretClient),
        rotorJson("key", "list", "--client", keyClient),
        rotorJson("org", "list"),
      ]),
    ).toBe(before);
  });

  it("names a client's default audience, changes its settings, disables and enables it", () => {
    expectOneLineError(
      rotor("client", "create", "--org", "acme-claims-ltd", "--name", "Gateway", "--audience", "https://a.example/,https://b.example/"),
      /^rotor: error: --default-audience: Choose the default audience among https:\/\/a.example\/, https:\/\/b.example\/.$/,
    );
    expectOneLineError(
      rotor(
        "client",
        "create",
        "--org",
        "acme-claims-ltd",
        "--name",
        "Gateway",
        "--audience",
        "https://a.example/",
        "--default-audience",
        "https://c.example/",
      ),
      /^rotor: error: --default-audience: The default audience must be one of the client's audiences: https:\/\/a.example\/.$/,
    );
    const created = rotorJson(
      "client",
      "create",
      "--org",
      "acme-claims-ltd",
      "--name",
      "Gateway",
      "--audience",
      "https://a.example/,https://b.example/",
      "--default-audience",
      "https://b.example/",
    ).client;
    expect(created).toEqual({
      clientId: expect.any(String),
      name: "Gateway",
      allowedScopes: [],
      allowedAudiences: ["https://a.example/", "https://b.example/"],
      defaultAudience: "https://b.example/",
      accessTokenTtlSeconds: 3600,
      legacyAudience: false,
      accessTokenAlg: "ES256",
      createdAt: expect.any(String),
      disabledAt: null,
    });
    const updated = rotorJson(
      "client",
      "update",
      created.clientId,
      "--scope",
      "claims:read",
      "--default-audience",
      "https://a.example/",
      "--token-lifetime",
      "900",
      "--alg",
      "RS256",
      "--legacy-aud",
      "on",
    ).client;
    expect(updated).toEqual({
      ...created,
      allowedScopes: ["claims:read"],
      defaultAudience: "https://a.example/",
      accessTokenTtlSeconds: 900,
      accessTokenAlg: "RS256",
      legacyAudience: true,
    });
    expectOneLineError(
      rotor("client", "update", created.clientId, "--token-lifetime", "10"),
      /^rotor: error: --token-lifetime: Access tokens live at least 60 seconds.$/,
    );
    expectOneLineError(rotor("client", "update", created.clientId, "--legacy-aud", "maybe"), /^rotor: error: --legacy-aud: say on or off$/);
    expectOneLineError(
      rotor("client", "update", created.clientId, "--alg", "HS256"),
      /^rotor: error: --alg: The signing algorithm is ES256 or RS256.$/,
    );
    const disabled = rotorJson("client", "disable", created.clientId).client;
    expect(disabled).toEqual({ ...updated, disabledAt: expect.any(String) });
    expectOneLineError(rotor("client", "disable", created.clientId), /^rotor: error: Client \S+ is already disabled, since /);
    expect(rotor("client", "enable", created.clientId).stdout).toBe(
      `Enabled client ${created.clientId}: its live secrets and keys work again.\n`,
    );
    expect(rotorJson("client", "list", "--org", "acme-claims-ltd").clients.find((c: { name: string }) => c.name === "Gateway")).toEqual(
      updated,
    );
  });

  it("registers and lists webhook endpoints of an organisation and of the platform; the signing secret, printed once, signs the deliveries", async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    try {
      // Events in any order, repeated or spaced: stored once each, in the catalogue's order.
      const added = rotorJson(
        "webhooks",
        "add",
        "--org",
        "acme-claims-ltd",
        "--url",
        url,
        "--events",
        "secret.revoked, secret.issued",
        "--events",
        "secret.issued",
        "--description",
        "Claims team's receiver",
      );
      expect(added).toEqual({
        endpoint: {
          id: expect.any(String),
          organisation: "acme-claims-ltd",
          url,
          description: "Claims team's receiver",
          eventTypes: ["secret.issued", "secret.revoked"],
          createdAt: expect.any(String),
          disabledAt: null,
          disabledReason: null,
        },
        signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });
      signingSecrets.push(added.signingSecret);
      webhook.orgEndpoint = added.endpoint.id;
      webhook.url = url;
      const human = rotor("webhooks", "add", "--url", "https://hooks.platform.example/rotor", "--events", "client.changed");
      expect(human.stderr).toBe("");
      const platformId =
        /^Registered webhook endpoint (\S+) for the platform \(every organisation's events\): https:\/\/hooks\.platform\.example\/rotor\nevents: client\.changed\nSigning secret \(shown only now; the receiver verifies each request with it\):\n(whsec_\S+)\n$/.exec(
          human.stdout,
        );
      expect(platformId, human.stdout).not.toBeNull();
      signingSecrets.push(platformId![2]!);
      webhook.platformEndpoint = platformId![1]!;

      // Each owner's own endpoints; the secret only by its last characters.
      const listed = rotorJson("webhooks", "list", "--org", "acme-claims-ltd");
      expect(listed).toEqual({
        endpoints: [
          {
            ...added.endpoint,
            secretTail: added.signingSecret.slice(-4),
            pending: 0,
            dead: 0,
            lastDeliveredAt: null,
          },
        ],
      });
      expect(rotorJson("webhooks", "list").endpoints.map((e: { id: string; organisation: null }) => [e.id, e.organisation])).toEqual([
        [platformId![1], null],
      ]);
      expect(rotor("webhooks", "list", "--org", "acme-claims-ltd").stdout).toBe(
        `${added.endpoint.id} ${url} on; secret.issued,secret.revoked; 0 waiting, 0 given up\n`,
      );

      // A change of the organisation's credentials reaches the endpoint at the scheduler's run, signed with that secret.
      const client = rotorJson("client", "create", "--org", "acme-claims-ltd", "--name", "Webhook client").client.clientId;
      const issued = rotorJson("secret", "rotate", "--client", client).secret;
      const run = await rotorAsync("--json", "cron", "run");
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).webhooks.delivery.sent).toBe(1);
      expect(received).toHaveLength(1);
      const event = new Webhook(added.signingSecret).verify(received[0]!.body, received[0]!.headers as Record<string, string>);
      expect(event).toMatchObject({
        type: "secret.issued",
        data: { client: { clientId: client }, reason: "rotated", secret: { id: issued.id, maskedValue: issued.value.slice(-4) } },
      });
      expect(received[0]!.body).not.toContain(issued.value);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("refuses bad webhook input with a one-line error, finds an endpoint only under its owner, and removes both", () => {
    const { orgEndpoint, platformEndpoint, url } = webhook;
    expectOneLineError(
      rotor("webhooks", "add", "--url", "ftp://hooks.example/", "--events", "secret.issued"),
      /^rotor: error: --url: Give a full URL starting with https:\/\//,
    );
    expectOneLineError(
      rotor("webhooks", "add", "--url", "https://hooks.example/", "--events", "secret.issued,secret.rotated"),
      /^rotor: error: --events: secret\.rotated is not an event Rotor sends; choose among secret\.issued, secret\.expiring, .*client\.changed$/,
    );
    expectOneLineError(
      rotor("webhooks", "add", "--url", "https://hooks.example/", "--events", ","),
      /^rotor: error: --events: Choose at least one event to send\.$/,
    );
    expectOneLineError(
      rotor("webhooks", "add", "--url", "https://hooks.example/", "--events", "secret.issued", "--description", "x".repeat(201)),
      /^rotor: error: --description: Keep the description to 200 characters\.$/,
    );
    expectOneLineError(
      rotor("webhooks", "add", "--org", "no-such-org", "--url", "https://hooks.example/", "--events", "secret.issued"),
      /^rotor: error: --org: There is no organisation "no-such-org"/,
    );
    expectOneLineError(rotor("webhooks", "remove", "not-an-id"), /^rotor: error: <endpoint-id>: That is not a valid endpoint id\.$/);
    // The platform's endpoint is not the organisation's, nor the organisation's the platform's.
    expectOneLineError(
      rotor("webhooks", "remove", platformEndpoint, "--org", "acme-claims-ltd"),
      /^rotor: error: There is no such webhook endpoint here\. It may have been deleted\.$/,
    );
    expectOneLineError(rotor("webhooks", "remove", orgEndpoint), /^rotor: error: There is no such webhook endpoint here\./);
    expect(rotorJson("webhooks", "list").endpoints).toHaveLength(1);

    expect(rotorJson("webhooks", "remove", orgEndpoint, "--org", "acme-claims-ltd")).toEqual({
      removed: { id: orgEndpoint, url },
    });
    expect(rotor("webhooks", "remove", platformEndpoint).stdout).toBe(
      `Removed webhook endpoint ${platformEndpoint} (https://hooks.platform.example/rotor): nothing more is sent to it.\n`,
    );
    expect(rotor("webhooks", "list", "--org", "acme-claims-ltd").stdout).toBe("Acme Claims Ltd has no webhook endpoints.\n");
    expect(rotorJson("webhooks", "list")).toEqual({ endpoints: [] });
  });

  it("offers --help on every command", () => {
    for (const cmd of [
      ["org", "create"],
      ["secret", "rotate"],
      ["key", "add"],
      ["cron", "run"],
      ["user", "invite"],
      ["client", "create"],
      ["client", "update"],
      ["client", "disable"],
      ["operator", "add"],
      ["webhooks", "add"],
      ["webhooks", "list"],
      ["webhooks", "remove"],
    ]) {
      const r = rotor(...cmd, "--help");
      expect(r.status, cmd.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage: rotor");
    }
  });

  it("writes audit events naming the CLI, and no secret value anywhere in them", async () => {
    const handle = await openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
    const events = await handle.db.select().from(auditEvents);
    await handle.close();
    expect(events.length).toBeGreaterThan(5);
    expect(events.every((e) => e.actorType === "cli" && e.actorLabel.startsWith("CLI ("))).toBe(true);
    for (const v of [...secrets, ...signingSecrets]) expect(JSON.stringify(events)).not.toContain(v);
    expect(
      events
        .filter((e) => e.action.startsWith("webhook."))
        .map((e) => e.action)
        .sort(),
    ).toEqual(["webhook.created", "webhook.created", "webhook.deleted", "webhook.deleted"]);
  });

  it("hands over to a server whose /oauth/token accepts both secrets and both keys; the CLI refuses to run beside it", async () => {
    server = spawn(tsx, ["scripts/machine-server.ts"], { env: { ...env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      server!.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /machine listening on (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server!.on("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    const token = (body: URLSearchParams, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body,
      });
    for (const s of secrets) {
      const res = await token(new URLSearchParams({ grant_type: "client_credentials" }), {
        authorization: `Basic ${Buffer.from(`${secretClient}:${s}`).toString("base64")}`,
      });
      expect(res.status).toBe(200);
    }
    for (const k of keys) {
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({ iss: keyClient, sub: keyClient, aud: issuer, iat: now, exp: now + 60, jti: randomUUID() })
        .setProtectedHeader({ alg: "RS256", kid: k.kid })
        .sign(k.privateKey);
      const res = await token(
        new URLSearchParams({
          grant_type: "client_credentials",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
        }),
      );
      expect(res.status, k.kid).toBe(200);
    }
    expectOneLineError(rotor("org", "list"), /is open in another process \(pid \d+\): stop the server first/);
    server.kill("SIGTERM");
    await new Promise((r) => server!.once("exit", r));
    server = null;
    const summary = rotorJson("cron", "run", "--now", "2030-01-01T09:00:00Z");
    expect(summary.at).toBe("2030-01-01T09:00:00.000Z");
  });
});
