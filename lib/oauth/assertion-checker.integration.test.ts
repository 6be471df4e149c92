import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { createTokenStore } from "@/lib/data/token-store";
import { checkAssertion } from "./assertion-checker";
import { JWT_BEARER_GRANT_TYPE } from "./constants";
import { addEcKey, addKey, assertion, cliContext, provisionClient } from "./testing";

const issuer = "https://auth.rotor.test";
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;
let northwind: OrganisationDto;
let finvu: OrganisationDto;
beforeAll(async () => {
  handle = await createTestDatabase();
  // Two organisations, each with nothing: every test provisions the clients and keys it is about.
  northwind = await anOrganisation(handle.db, { name: "Northwind Insurance" });
  finvu = await anOrganisation(handle.db, { name: "Finvu Data Services" });
});
afterAll(async () => handle?.close());

describe("the Dev Tools assertion checker", () => {
  it("gives the token endpoint's verdict and reason, and does not use up the jti", async () => {
    const ctx = cliContext(handle.db, northwind, keyRing);
    const c = await provisionClient(ctx);
    const k = await addKey(ctx, c.clientId, "k1");
    const good = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: issuer }, { kid: "k1" });
    const config = { issuer, now: new Date() };
    expect(await checkAssertion(handle.db, northwind, { assertion: good }, config)).toMatchObject({ ok: true, keyKid: "k1" });
    expect(await checkAssertion(handle.db, northwind, { assertion: good }, config)).toMatchObject({ ok: true });

    const slash = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: `${issuer}/` }, { kid: "k1" });
    expect(await checkAssertion(handle.db, northwind, { assertion: slash }, config)).toMatchObject({
      ok: false,
      description: expect.stringMatching(/trailing slash/),
    });
    expect(await checkAssertion(handle.db, northwind, { assertion: good, assertionType: JWT_BEARER_GRANT_TYPE }, config)).toMatchObject({
      ok: false,
      error: "invalid_request",
    });
    const unknownKid = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: issuer }, { kid: "nope" });
    expect(await checkAssertion(handle.db, northwind, { assertion: unknownKid }, config)).toMatchObject({
      ok: false,
      description: "No active key with kid nope is registered for this client.",
    });

    // Once the token endpoint has consumed the jti, the checker says so.
    const decoded = JSON.parse(Buffer.from(good.split(".")[1]!, "base64url").toString());
    await createTokenStore(handle.db).consumeJti(c.clientId, decoded.jti, new Date(Date.now() + 600_000));
    expect(await checkAssertion(handle.db, northwind, { assertion: good }, config)).toMatchObject({
      ok: false,
      description: expect.stringMatching(/already been used/),
    });
  });

  it("checks an ES256 assertion against an EC P-256 key, and says when a key of the other type was named", async () => {
    const ctx = cliContext(handle.db, northwind, keyRing);
    const c = await provisionClient(ctx);
    const rsa = await addKey(ctx, c.clientId, "rsa-1");
    const ec = await addEcKey(ctx, c.clientId, "ec-1");
    const claims = { iss: c.clientId, sub: c.clientId, aud: issuer };
    const config = { issuer, now: new Date() };
    const good = await assertion(ec.privateKey, claims, { alg: "ES256", kid: "ec-1" });
    expect(await checkAssertion(handle.db, northwind, { assertion: good }, config)).toEqual({
      ok: true,
      clientId: c.clientId,
      keyKid: "ec-1",
      message: "The token endpoint would accept this assertion (its jti has not been used; checking it here does not use it up).",
    });
    const toRsaKey = await assertion(ec.privateKey, claims, { alg: "ES256", kid: "rsa-1" });
    expect(await checkAssertion(handle.db, northwind, { assertion: toRsaKey }, config)).toEqual({
      ok: false,
      error: "invalid_client",
      description:
        "The assertion's signature does not verify with the registered key. The key \"rsa-1\" is an RSA key, which verifies RS256 and PS256, but this assertion says ES256: sign with the key's own algorithm, or name a key of the right type in kid.",
    });
    const toEcKey = await assertion(rsa.privateKey, claims, { alg: "RS256", kid: "ec-1" });
    expect(await checkAssertion(handle.db, northwind, { assertion: toEcKey }, config)).toEqual({
      ok: false,
      error: "invalid_client",
      description:
        "The assertion's signature does not verify with the registered key. The key \"ec-1\" is an EC P-256 key, which verifies ES256 only, but this assertion says RS256: sign with the key's own algorithm, or name a key of the right type in kid.",
    });
    // A signature by another key of the right type gets no hint: the key is simply not the one.
    const stranger = await addEcKey(cliContext(handle.db, northwind, keyRing), (await provisionClient(ctx)).clientId, "ec-1");
    const forged = await assertion(stranger.privateKey, claims, { alg: "ES256", kid: "ec-1" });
    expect(await checkAssertion(handle.db, northwind, { assertion: forged }, config)).toEqual({
      ok: false,
      error: "invalid_client",
      description: "The assertion's signature does not verify with the registered key.",
    });
  });

  it("says nothing about another organisation's clients", async () => {
    const ctx = cliContext(handle.db, northwind, keyRing);
    const c = await provisionClient(ctx);
    const k = await addKey(ctx, c.clientId, "k1");
    const token = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: issuer }, { kid: "k1" });
    const verdict = await checkAssertion(handle.db, finvu, { assertion: token }, { issuer, now: new Date() });
    expect(verdict).toEqual({ ok: false, error: "invalid_client", description: `"${c.clientId}" is not a client of Finvu Data Services.` });
  });

  it("answers an assertion whose sub could not be a client ID (a NUL byte) with the reason, not an error", async () => {
    const ctx = cliContext(handle.db, northwind, keyRing);
    const c = await provisionClient(ctx);
    const k = await addKey(ctx, c.clientId, "k1");
    const bad = `${c.clientId}\u0000`;
    const token = await assertion(k.privateKey, { iss: bad, sub: bad, aud: issuer }, { kid: "k1" });
    expect(await checkAssertion(handle.db, northwind, { assertion: token }, { issuer, now: new Date() })).toEqual({
      ok: false,
      error: "invalid_client",
      description: "The assertion's iss and sub must be your client_id: 8 to 64 letters, digits, - or _.",
    });
  });
});
