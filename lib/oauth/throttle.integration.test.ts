import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { generateClientSecret } from "@/lib/crypto/client-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { createTokenStore, type TokenStore } from "@/lib/data/token-store";
import { isKnownClientAddress } from "@/lib/data/usage";
import { markClientAddressesStamped, requestClientAddress, trustedProxies } from "@/lib/http/client-address";
import { createClientAuthGuard } from "@/lib/rate-limit/client-auth-guard";
import { Limit } from "@/lib/rate-limit/limit";
import { createMachine, type Machine } from "./machine";
import { addKey, basic, cliContext, httpMount, type Mount, provisionClient } from "./testing";
import { createTokenEndpoint } from "./token-endpoint";

/*
 * The token endpoint under a flood of wrong secrets (docs/security.md, "Rate limits"): past its
 * limit a client or an address is answered 429 from memory, before any look-up, and other clients
 * are served as before. Addresses come from the socket, and from X-Forwarded-For only through a
 * trusted proxy, so a flood cannot dodge its limit by inventing addresses.
 */

const ISSUER = "https://auth.rotor.test";
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;
let org: OrganisationDto;
const machines: Machine[] = [];
let behindProxy: Mount;
const held: number[] = [];
let direct: Mount;

const guard = () =>
  createClientAuthGuard({
    attemptsPerClient: new Limit("fail-client", [{ points: 3, seconds: 60 }], { kind: "memory" }),
    attemptsPerAddress: new Limit("fail-address", [{ points: 5, seconds: 60 }], { kind: "memory" }),
    sharedFailuresPerClient: null,
    sharedFailuresPerAddress: null,
    requestsPerClient: null,
    knownAddress: (clientId, address) => isKnownClientAddress(handle.db, clientId, address, new Date(Date.now() - 86_400_000)),
    log: () => {},
  });

beforeAll(async () => {
  markClientAddressesStamped();
  handle = await createTestDatabase();
  org = await anOrganisation(handle.db);
  const make = () =>
    createMachine({
      db: handle.db,
      keyRing,
      issuer: ISSUER,
      background: false,
      log: () => {},
      guard: guard(),
      addressOf: (request) => requestClientAddress(request.headers, undefined),
      hold: async (ms) => {
        held.push(ms);
      },
    });
  machines.push(make(), make());
  // One instance behind our load balancer (127.0.0.1 is trusted), one reached directly.
  behindProxy = await httpMount(machines[0]!, ISSUER, trustedProxies("127.0.0.1/32"));
  direct = await httpMount(machines[1]!, ISSUER);
});
afterAll(async () => {
  await behindProxy?.close();
  await direct?.close();
  for (const m of machines) await m.stop();
  await handle?.close();
});

const ctx = () => cliContext(handle.db, org, keyRing);
const token = (mount: Mount, authorization: string, from?: string) =>
  mount.fetch("/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization, ...(from ? { "x-forwarded-for": from } : {}) },
    body: "grant_type=client_credentials",
  });
/** A well-formed secret (its checksum holds), just not this client's: the look-up happens. */
const wrong = (clientId: string) => basic(clientId, generateClientSecret());

describe("a flood of failed client authentications", () => {
  it("blocks the client it aims at after three failures, even with its right secret, and serves every other client", async () => {
    const target = await provisionClient(ctx());
    const bystander = await provisionClient(ctx());
    for (let i = 0; i < 3; i++) expect((await token(behindProxy, wrong(target.clientId), `203.0.113.${i}`)).status).toBe(401);
    const refused = await token(behindProxy, basic(target.clientId, target.secret), "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(await refused.json()).toEqual({
      error: "temporarily_unavailable",
      error_description: "Too many failed client authentications; try again in 60 seconds.",
    });
    expect((await token(behindProxy, basic(bystander.clientId, bystander.secret), "198.51.100.1")).status).toBe(200);
  });

  it("holds each throttled answer for a second before sending it, and nothing else", async () => {
    const c = await provisionClient(ctx());
    held.length = 0;
    expect((await token(behindProxy, basic(c.clientId, c.secret), "198.51.100.30")).status).toBe(200);
    for (let i = 0; i < 3; i++) await token(behindProxy, wrong(c.clientId), `203.0.113.${30 + i}`);
    expect(held).toEqual([]);
    expect((await token(behindProxy, basic(c.clientId, c.secret), "198.51.100.31")).status).toBe(429);
    expect(held).toEqual([1_000]);
  });

  it("keeps serving the client from an address it authenticated from before the flood, so a known client_id cannot lock its owner out", async () => {
    const target = await provisionClient(ctx());
    const home = "198.51.100.20";
    expect((await token(behindProxy, basic(target.clientId, target.secret), home)).status).toBe(200);
    for (let i = 0; i < 3; i++) await token(behindProxy, wrong(target.clientId), `203.0.113.${10 + i}`);
    expect((await token(behindProxy, basic(target.clientId, target.secret), home)).status).toBe(200);
    expect((await token(behindProxy, basic(target.clientId, target.secret), "198.51.100.21")).status).toBe(429);
  });

  it("blocks the address it comes from after five failures, whatever client it names, and no other address", async () => {
    const c = await provisionClient(ctx());
    for (let i = 0; i < 5; i++) {
      expect((await token(behindProxy, wrong(`nosuch${randomBytes(6).toString("hex")}`), "192.0.2.66")).status).toBe(401);
    }
    expect((await token(behindProxy, basic(c.clientId, c.secret), "192.0.2.66")).status).toBe(429);
    expect((await token(behindProxy, basic(c.clientId, c.secret), "192.0.2.67")).status).toBe(200);
  });

  it("cannot dodge the address limit with made-up X-Forwarded-For values when not behind a trusted proxy", async () => {
    const c = await provisionClient(ctx());
    for (let i = 0; i < 5; i++) {
      await token(direct, wrong(`nosuch${randomBytes(6).toString("hex")}`), `10.${i}.${i}.${i}`);
    }
    expect((await token(direct, basic(c.clientId, c.secret), "10.9.9.9")).status).toBe(429);
  });

  it("answers a blocked request without touching the database", async () => {
    const c = await provisionClient(ctx());
    let lookups = 0;
    const real = createTokenStore(handle.db);
    const counted: TokenStore = {
      ...real,
      findClientWithSecrets: (...args) => {
        lookups++;
        return real.findClientWithSecrets(...args);
      },
    };
    const endpoint = createTokenEndpoint({
      issuer: ISSUER,
      tokenEndpoint: `${ISSUER}/oauth/token`,
      store: counted,
      keys: machines[0]!.keys,
      usage: machines[0]!.usage,
      defaultAudience: `${ISSUER}/api/v1`,
      now: () => new Date(),
      log: () => {},
      guard: guard(),
      addressOf: () => "203.0.113.200",
      hold: async () => {},
    });
    const ask = (authorization: string) =>
      endpoint(
        new Request(`${ISSUER}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization },
          body: "grant_type=client_credentials",
        }),
      );
    for (let i = 0; i < 3; i++) await ask(wrong(c.clientId));
    expect(lookups).toBe(3);
    for (let i = 0; i < 20; i++) expect((await ask(wrong(c.clientId))).status).toBe(429);
    expect(lookups).toBe(3);
  });

  it("counts failures at the introspection endpoint too", async () => {
    const c = await provisionClient(ctx());
    for (let i = 0; i < 3; i++) {
      const res = await behindProxy.fetch("/oauth/introspect", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: wrong(c.clientId),
          "x-forwarded-for": `203.0.113.${50 + i}`,
        },
        body: "token=x",
      });
      expect(res.status).toBe(401);
    }
    expect((await token(behindProxy, basic(c.clientId, c.secret), "203.0.113.99")).status).toBe(429);
  });
});

describe("the limits hold", () => {
  /** The fetch core with its own guard; the client address comes from a test header (stamping is tested in lib/http). */
  function endpoint(g = guard()) {
    const handler = createTokenEndpoint({
      issuer: ISSUER,
      tokenEndpoint: `${ISSUER}/oauth/token`,
      store: createTokenStore(handle.db),
      keys: machines[0]!.keys,
      usage: machines[0]!.usage,
      defaultAudience: `${ISSUER}/api/v1`,
      now: () => new Date(),
      log: () => {},
      guard: g,
      addressOf: (request) => request.headers.get("x-test-address"),
      hold: async () => {},
    });
    return (authorization: string, address: string, body = "grant_type=client_credentials") =>
      handler(
        new Request(`${ISSUER}/oauth/token`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...(authorization ? { authorization } : {}),
            "x-test-address": address,
          },
          body,
        }),
      );
  }

  it("against a burst of concurrent wrong secrets: no more get through to a look-up than the limit", async () => {
    const ask = endpoint();
    const results = await Promise.all(
      Array.from({ length: 60 }, () => ask(wrong(`nosuch${randomBytes(6).toString("hex")}`), "203.0.113.150")),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(55);
  });

  it("whether the assertion names the client in sub or iss: the failure counts against the client it tried", async () => {
    const victim = await provisionClient(ctx());
    await addKey(ctx(), victim.clientId, "victim-key");
    const ask = endpoint();
    for (let i = 0; i < 3; i++) {
      const res = await ask("", `203.0.113.${160 + i}`, jwtBody({ iss: "zzzzzzzzzz", sub: victim.clientId }, "victim-key"));
      expect(res.status, await res.clone().text()).toBe(401);
    }
    expect((await ask(basic(victim.clientId, victim.secret), "198.51.100.160")).status).toBe(429);
  });

  it("remembers the client's own addresses in the database, so a restarted instance does not lock them out", async () => {
    const owner = await provisionClient(ctx());
    expect((await endpoint()(basic(owner.clientId, owner.secret), "198.51.100.170")).status).toBe(200);
    await machines[0]!.usage.flush();
    const restarted = endpoint(guard());
    for (let i = 0; i < 3; i++) await restarted(wrong(owner.clientId), `203.0.113.${170 + i}`);
    expect((await restarted(basic(owner.clientId, owner.secret), "198.51.100.170")).status).toBe(200);
    expect((await restarted(basic(owner.clientId, owner.secret), "198.51.100.171")).status).toBe(429);
  });

  it("counts an IPv6 client by its /64", async () => {
    const ask = endpoint();
    for (let i = 1; i <= 5; i++) await ask(wrong(`nosuch${randomBytes(6).toString("hex")}`), `2001:db8:1:2::${i}`);
    const c = await provisionClient(ctx());
    expect((await ask(basic(c.clientId, c.secret), "2001:db8:1:2:ffff::9")).status).toBe(429);
    expect((await ask(basic(c.clientId, c.secret), "2001:db8:1:3::9")).status).toBe(200);
  });
});

/** A form with a client assertion that is no signed JWT of any key: it names a client and fails. */
function jwtBody(claims: Record<string, string>, kid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const token = `${part({ alg: "RS256", kid })}.${part({ ...claims, aud: ISSUER, iat: now, exp: now + 60, jti: randomBytes(8).toString("hex") })}.${part({ sig: 1 })}`;
  return new URLSearchParams({
    grant_type: "client_credentials",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: token,
  }).toString();
}
