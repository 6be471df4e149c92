import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SignJWT } from "jose";
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
    for (const v of secrets) expect(JSON.stringify(events)).not.toContain(v);
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
