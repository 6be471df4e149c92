import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { createMachine, type Machine } from "./machine";
import { addKey, assertion, cliContext, httpMount, jwtForm, type Mount, provisionClient } from "./testing";

/*
 * Instances scale out behind a load balancer, so a replayed assertion must fail on every instance:
 * the jti is consumed in the shared database, never in a process's memory. On the real Postgres
 * server (CI) the two instances are two real processes; on PGlite, which one process owns, they
 * are two independent machines in this process over the one database.
 */
const ISSUER = "https://auth.rotor.test";
const keySpec = `t:${randomBytes(32).toString("base64")}`;
const keyRing = parseKeyRing(keySpec);
let handle: DatabaseHandle & { url?: string };
const children: ChildProcess[] = [];
const machines: Machine[] = [];
const instances: Mount[] = [];

async function spawnInstance(url: string): Promise<Mount> {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/machine-server.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      ROTOR_ENCRYPTION_KEYS: keySpec,
      ROTOR_PUBLIC_URL: ISSUER,
      PORT: "0",
      ROTOR_DATA_DIR: mkdtempSync(path.join(tmpdir(), "rotor-instance-")),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /machine listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`instance exited with ${code}: ${out}`)));
  });
  return { name: `process :${port}`, fetch: (p, init) => fetch(`http://127.0.0.1:${port}${p}`, init), close: async () => {} };
}

let org: OrganisationDto;
beforeAll(async () => {
  handle = await createTestDatabase();
  org = await anOrganisation(handle.db);
  if (handle.url) {
    instances.push(await spawnInstance(handle.url), await spawnInstance(handle.url));
  } else {
    for (let i = 0; i < 2; i++) {
      const m = createMachine({ db: handle.db, keyRing, issuer: ISSUER, background: false, log: () => {} });
      machines.push(m);
      instances.push(await httpMount(m, ISSUER));
    }
  }
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill("SIGTERM");
  for (const i of instances) await i.close();
  for (const m of machines) await m.stop();
  await handle?.close();
});

describe("a replayed client assertion spread over two instances sharing one database", () => {
  it("lets exactly one of the parallel requests through", async () => {
    const ctx = cliContext(handle.db, org, keyRing);
    const c = await provisionClient(ctx);
    const k = await addKey(ctx, c.clientId, "k");
    const token = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: ISSUER }, { kid: "k" });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        instances[i % 2]!.fetch("/oauth/token", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: jwtForm(token).toString(),
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(29);
  });
});
