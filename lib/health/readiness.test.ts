import { describe, expect, it } from "vitest";
import { createReadiness, healthz, type ReadinessDeps } from "./readiness";

const get = (path: string, method = "GET") => new Request(`http://localhost${path}`, { method });

function deps(overrides: Partial<ReadinessDeps> = {}) {
  const calls = { ping: 0, pending: 0, key: 0 };
  const lines: string[] = [];
  const d: ReadinessDeps = {
    ping: async () => {
      calls.ping += 1;
    },
    pendingMigrations: async () => {
      calls.pending += 1;
      return [];
    },
    signingKeyUsable: async () => {
      calls.key += 1;
      return true;
    },
    draining: () => false,
    log: (line) => lines.push(line),
    ...overrides,
  };
  return { d, calls, lines };
}

describe("GET /healthz", () => {
  it("answers 200 with a tiny JSON body that no cache may keep", async () => {
    const response = await healthz(get("/healthz"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers HEAD without a body and refuses other methods with 405 and Allow", async () => {
    const head = await healthz(get("/healthz", "HEAD"));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await healthz(get("/healthz", "POST"));
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});

describe("GET /readyz", () => {
  it("is 200 and names every check ok when the database answers, migrations are current and a key signs", async () => {
    const { d } = deps();
    const response = await createReadiness(d)(get("/readyz"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", signing_key: "ok" } });
  });

  it("is 503 naming the database when it does not answer, with no error text, and checks nothing behind it", async () => {
    const { d, calls, lines } = deps({
      ping: async () => {
        throw Object.assign(new Error("password authentication failed for user rotor: s3cr3t"), { code: "28P01" });
      },
    });
    const response = await createReadiness(d)(get("/readyz"));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: "not_ready",
      checks: { database: "failed", migrations: "skipped", signing_key: "skipped" },
    });
    expect(text).not.toContain("s3cr3t");
    expect(calls).toMatchObject({ pending: 0, key: 0 });
    // The log says why, by class and SQLSTATE only (lib/error-summary.ts).
    expect(lines).toEqual(["readyz: not ready (database: Error (code 28P01))"]);
  });

  it("fails a check that never answers once its time is up, so a hung database cannot hang the balancer's probe", async () => {
    const { d } = deps({ ping: () => new Promise(() => {}), checkTimeoutMs: 5 });
    const response = await createReadiness(d)(get("/readyz"));
    expect(response.status).toBe(503);
    expect((await response.json()).checks.database).toBe("failed");
  });

  it("is 503 with migrations pending while the database lacks a migration this build ships", async () => {
    const { d, lines } = deps({ pendingMigrations: async () => ["0019_client_jwks_key_use"] });
    const response = await createReadiness(d)(get("/readyz"));
    expect(response.status).toBe(503);
    expect((await response.json()).checks).toEqual({ database: "ok", migrations: "pending", signing_key: "ok" });
    expect(lines).toEqual(["readyz: not ready (migrations: 1 not applied, the first 0019_client_jwks_key_use)"]);
  });

  it("asks for pending migrations again while some are pending, and never again once they are current", async () => {
    let pending = ["0019_client_jwks_key_use"];
    const { d, calls } = deps({
      pendingMigrations: async () => {
        calls.pending += 1;
        return pending;
      },
    });
    const readyz = createReadiness(d);
    expect((await readyz(get("/readyz"))).status).toBe(503);
    expect((await readyz(get("/readyz"))).status).toBe(503);
    expect(calls.pending).toBe(2);
    pending = [];
    for (let i = 0; i < 3; i++) expect((await readyz(get("/readyz"))).status).toBe(200);
    expect(calls.pending).toBe(3);
    // The database and the key are still asked on every poll.
    expect(calls.ping).toBe(5);
    expect(calls.key).toBe(5);
  });

  it("is 503 naming the signing key when none signs, or loading it fails", async () => {
    for (const signingKeyUsable of [async () => false, async () => Promise.reject(new Error("cannot decrypt"))]) {
      const { d } = deps({ signingKeyUsable });
      const response = await createReadiness(d)(get("/readyz"));
      expect(response.status).toBe(503);
      expect((await response.json()).checks).toEqual({ database: "ok", migrations: "ok", signing_key: "failed" });
    }
  });

  it("is 503 draining at once while the process shuts down, without asking the database", async () => {
    const { d, calls } = deps({ draining: () => true });
    const response = await createReadiness(d)(get("/readyz"));
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "draining" });
    expect(calls).toEqual({ ping: 0, pending: 0, key: 0 });
  });

  it("logs a failure when it starts and when it ends, not on every poll", async () => {
    let up = false;
    const { d, lines } = deps({
      ping: async () => {
        if (!up) throw Object.assign(new Error("down"), { code: "ECONNREFUSED" });
      },
    });
    const readyz = createReadiness(d);
    for (let i = 0; i < 3; i++) await readyz(get("/readyz"));
    up = true;
    for (let i = 0; i < 3; i++) await readyz(get("/readyz"));
    expect(lines).toEqual(["readyz: not ready (database: Error (code ECONNREFUSED))", "readyz: ready again"]);
  });

  it("answers HEAD without a body and refuses POST with 405", async () => {
    const { d } = deps();
    const readyz = createReadiness(d);
    const head = await readyz(get("/readyz", "HEAD"));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await readyz(get("/readyz", "POST"))).status).toBe(405);
  });
});
