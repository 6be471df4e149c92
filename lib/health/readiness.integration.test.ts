import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { createMachine } from "@/lib/oauth/machine";
import { directMount, httpMount, type Mount } from "@/lib/oauth/testing";

/*
 * /healthz and /readyz on both mounts over a real database (docs/operations.md, "Health"): ready
 * on a migrated database with usable keys; not ready, naming the check, when a migration this
 * build ships is missing, when the key ring cannot read the signing keys, or while draining.
 */

const ISSUER = "https://auth.rotor.test";
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

async function withMounts(
  options: { draining?: () => boolean; ring?: typeof keyRing },
  fn: (mount: Mount) => Promise<void>,
): Promise<void> {
  const machine = createMachine({
    db: handle.db,
    keyRing: options.ring ?? keyRing,
    issuer: ISSUER,
    background: false,
    log: () => {},
    draining: options.draining,
  });
  // The first load of a new deployment creates its signing keys (an RSA key pair among them),
  // which on a busy machine can outlast a check's time; done here first, as upkeep does at start.
  await machine.keys.get(new Date()).catch(() => {});
  const mounts = [directMount(machine, ISSUER), await httpMount(machine, ISSUER)];
  try {
    for (const mount of mounts) await fn(mount);
  } finally {
    for (const mount of mounts) await mount.close();
  }
}

describe("health on both mounts", () => {
  it("/healthz is 200 ok with no-store", async () => {
    await withMounts({}, async (mount) => {
      const response = await mount.fetch("/healthz");
      expect(response.status, mount.name).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toEqual({ status: "ok" });
    });
  });

  it("/readyz is 200 on a migrated database whose signing keys decrypt", async () => {
    await withMounts({}, async (mount) => {
      const response = await mount.fetch("/readyz");
      expect(response.status, `${mount.name}: ${await response.clone().text()}`).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", signing_key: "ok" } });
    });
  });

  it("/readyz is 503 with migrations pending when the last shipped migration is not recorded as applied", async () => {
    const last = journal.entries.at(-1)!;
    await handle.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${last.when}`);
    try {
      await withMounts({}, async (mount) => {
        const response = await mount.fetch("/readyz");
        expect(response.status, mount.name).toBe(503);
        expect(await response.json()).toEqual({
          status: "not_ready",
          checks: { database: "ok", migrations: "pending", signing_key: "ok" },
        });
      });
    } finally {
      await handle.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('restored', ${last.when})`);
    }
  });

  it("/readyz is 503 naming the signing key when the key ring cannot decrypt the keys", async () => {
    const otherRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
    await withMounts({ ring: otherRing }, async (mount) => {
      const response = await mount.fetch("/readyz");
      expect(response.status, mount.name).toBe(503);
      const body = await response.json();
      expect(body).toEqual({ status: "not_ready", checks: { database: "ok", migrations: "ok", signing_key: "failed" } });
    });
  });

  it("/readyz is 503 draining once shutdown has begun", async () => {
    await withMounts({ draining: () => true }, async (mount) => {
      const response = await mount.fetch("/readyz");
      expect(response.status, mount.name).toBe(503);
      expect(await response.json()).toEqual({ status: "draining" });
    });
  });
});
