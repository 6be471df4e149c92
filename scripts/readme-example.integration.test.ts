import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/*
 * The README's operator walk-through, run as written: its `npm run rotor --` lines as CLI
 * processes on a fresh embedded database, then its two curl lines against a server on that
 * database. If the README changes, this test reads the new lines.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "rotor-readme-"));
const issuer = "https://auth.rotor.test";
const env = { ...process.env, DATABASE_URL: "", ROTOR_DATA_DIR: dataDir, ROTOR_PUBLIC_URL: issuer, ROTOR_ENV: "test" };
const tsx = path.resolve("node_modules/.bin/tsx");
let server: ChildProcess | null = null;

afterAll(() => {
  server?.kill("SIGTERM");
});

const readme = readFileSync("README.md", "utf8").split("\n");

/** The README line that starts with `prefix`, split into words as a shell would (double quotes, a trailing # comment). */
function readmeCommand(prefix: string): string[] {
  const line = readme.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`README.md has no line starting ${prefix}`);
  const words = [...line.replace(/\s+#.*$/, "").matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
  return words.slice(words.indexOf("--") + 1);
}

function rotor(args: string[], placeholders: Record<string, string> = {}) {
  const filled = args.map((a) => placeholders[a] ?? a);
  const r = spawnSync(tsx, ["scripts/rotor.ts", "--json", ...filled], { env, encoding: "utf8" });
  expect(r.status, `${filled.join(" ")}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

describe("the README's walk-through", { timeout: 300_000 }, () => {
  it("gives a token that /api/v1/whoami accepts", async () => {
    rotor(readmeCommand("npm run rotor -- operator add"));
    rotor(readmeCommand("npm run rotor -- org create"));
    const { client } = rotor(readmeCommand('npm run rotor -- client create --org acme-claims --name "Claims API"'));
    const { secret } = rotor(readmeCommand("npm run rotor -- secret rotate --client <clientId> --json"), { "<clientId>": client.clientId });

    expect(readme).toContain('curl -u "<clientId>:<secret>" -d grant_type=client_credentials $ROTOR_PUBLIC_URL/oauth/token');
    expect(readme).toContain('curl -H "Authorization: Bearer <access_token>" $ROTOR_PUBLIC_URL/api/v1/whoami');
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
    const tokenResponse = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${secret.value}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(tokenResponse.status).toBe(200);
    const token = (await tokenResponse.json()) as { access_token: string };
    const whoami = await fetch(`http://127.0.0.1:${port}/api/v1/whoami`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toEqual({
      client_id: client.clientId,
      organisation: { slug: "acme-claims", name: "Acme Claims" },
      scope: "claims:read",
      aud: `${issuer}/api/v1`,
      exp: expect.any(Number),
    });
  });
});
