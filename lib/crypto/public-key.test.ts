import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { parsePublicKey } from "./public-key";

const rsa = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits });
const rsa2048 = rsa(2048);
const pem = (k: ReturnType<typeof rsa>["publicKey"]) => k.export({ type: "spki", format: "pem" }).toString();

describe("registering a public key (seed 002: RSA, 2048 to 4096 bits, PEM or JWK)", () => {
  it("accepts a 2048-bit PEM public key and names it by its RFC 7638 thumbprint", async () => {
    const parsed = await parsePublicKey(pem(rsa2048.publicKey));
    expect(parsed.bits).toBe(2048);
    expect(parsed.alg).toBe("RS256");
    const jwk = rsa2048.publicKey.export({ format: "jwk" });
    expect(parsed.thumbprint).toBe(await calculateJwkThumbprint({ kty: "RSA", n: jwk.n, e: jwk.e }, "sha256"));
  });

  it("accepts the same key as a JWK, and a PKCS#1 RSA PUBLIC KEY block", async () => {
    const jwk = JSON.stringify(rsa2048.publicKey.export({ format: "jwk" }));
    const fromJwk = await parsePublicKey(jwk);
    const pkcs1 = rsa2048.publicKey.export({ type: "pkcs1", format: "pem" }).toString();
    expect((await parsePublicKey(pkcs1)).thumbprint).toBe(fromJwk.thumbprint);
  });

  it("accepts 4096 bits and refuses 1024 with the size in the message", async () => {
    expect((await parsePublicKey(pem(rsa(4096).publicKey))).bits).toBe(4096);
    await expect(parsePublicKey(pem(rsa(1024).publicKey))).rejects.toThrow(/1024 bits\. Keys must be 2048 to 4096 bits/);
  });

  it("refuses a private key pasted by mistake, as PEM or as JWK, without echoing it", async () => {
    const privatePem = rsa2048.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const error = await parsePublicKey(privatePem).catch((e: Error) => e);
    expect(String(error)).toMatch(/This is a private key/);
    expect(String(error)).not.toContain(privatePem.split("\n")[1]);
    const privateJwk = JSON.stringify(rsa2048.privateKey.export({ format: "jwk" }));
    await expect(parsePublicKey(privateJwk)).rejects.toThrow(/contains private key material/);
    const pkcs1Private = rsa2048.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    await expect(parsePublicKey(pkcs1Private)).rejects.toThrow(/This is a private key/);
  });

  it("refuses keys of the wrong type", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await expect(parsePublicKey(pem(ec.publicKey))).rejects.toThrow(/This is an EC key\. Only RSA keys/);
    await expect(parsePublicKey(JSON.stringify(ec.publicKey.export({ format: "jwk" })))).rejects.toThrow(/This is a EC key|Only RSA keys/);
    await expect(parsePublicKey("ssh-rsa AAAAB3NzaC1yc2E user@host")).rejects.toThrow(/SSH public key/);
  });

  it("refuses malformed input with a message that says what to paste", async () => {
    await expect(parsePublicKey("")).rejects.toThrow(/Paste a public key/);
    await expect(parsePublicKey("hello")).rejects.toThrow(/PEM public key .* or a JWK/);
    await expect(parsePublicKey("{not json")).rejects.toThrow(/not valid JSON/);
    await expect(parsePublicKey('{"keys":[]}')).rejects.toThrow(/JWK Set/);
    const cut = pem(rsa2048.publicKey).slice(0, 120);
    await expect(parsePublicKey(`${cut}\n-----END PUBLIC KEY-----`)).rejects.toThrow(/damaged or cut short/);
    await expect(parsePublicKey("-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----")).rejects.toThrow(/certificate/);
  });

  it("honours a JWK that asks for PS256 and refuses one that asks for HMAC", async () => {
    const jwk = rsa2048.publicKey.export({ format: "jwk" });
    expect((await parsePublicKey(JSON.stringify({ ...jwk, alg: "PS256" }))).alg).toBe("PS256");
    await expect(parsePublicKey(JSON.stringify({ ...jwk, alg: "HS256" }))).rejects.toThrow(/alg HS256/);
  });
});
