import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCOVERY_CACHE_MS, providerMetadata } from "./oidc";

let served = 0;
let jwksUri = "https://idp.example/jwks-1";
const server = createServer((req, res) => {
  if (req.url !== "/.well-known/openid-configuration") return void res.writeHead(404).end();
  served += 1;
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jwks_uri: jwksUri }));
});
let issuer: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(4105, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the sign-in provider's discovery document", () => {
  it("is fetched once and kept for DISCOVERY_CACHE_MS, then fetched again, so a moved endpoint is followed without a restart", async () => {
    const t0 = 1_900_000_000_000;
    expect(await providerMetadata(issuer, t0)).toEqual({ jwks_uri: "https://idp.example/jwks-1" });
    jwksUri = "https://idp.example/jwks-2";
    expect(await providerMetadata(issuer, t0 + DISCOVERY_CACHE_MS)).toEqual({ jwks_uri: "https://idp.example/jwks-1" });
    expect(served).toBe(1);
    expect(await providerMetadata(issuer, t0 + DISCOVERY_CACHE_MS + 1)).toEqual({ jwks_uri: "https://idp.example/jwks-2" });
    expect(served).toBe(2);
  });
});
