import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { parsePublicKey } from "./public-key";

const rsa = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits });
const ec = (namedCurve: string) => generateKeyPairSync("ec", { namedCurve });
const rsa2048 = rsa(2048);
const p256 = ec("P-256");
const pem = (k: ReturnType<typeof rsa>["publicKey"]) => k.export({ type: "spki", format: "pem" }).toString();
const jwkText = (k: ReturnType<typeof rsa>["publicKey"], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...k.export({ format: "jwk" }), ...extra });

const ACCEPTED = "Only RSA keys of 2048 to 4096 bits and EC keys on the P-256 curve are accepted.";
/** Each refusal is a DomainError on the key field whose whole message says what to do. */
const refusedWith = (message: string) => new DomainError("invalid", message, "key");
const refusal = (input: string) =>
  parsePublicKey(input).then(
    () => null,
    (e: unknown) => e,
  );

describe("registering a public key (seed 002: RSA, 2048 to 4096 bits, PEM or JWK)", () => {
  it("accepts a 2048-bit PEM public key and names it by its RFC 7638 thumbprint", async () => {
    const jwk = rsa2048.publicKey.export({ format: "jwk" });
    const expected = { kty: "RSA", n: jwk.n, e: jwk.e };
    expect(await parsePublicKey(pem(rsa2048.publicKey))).toEqual({
      type: "RSA",
      jwk: expected,
      bits: 2048,
      thumbprint: await calculateJwkThumbprint(expected, "sha256"),
      alg: "RS256",
    });
  });

  it("accepts the same key as a JWK, and a PKCS#1 RSA PUBLIC KEY block", async () => {
    const fromJwk = await parsePublicKey(jwkText(rsa2048.publicKey));
    const pkcs1 = rsa2048.publicKey.export({ type: "pkcs1", format: "pem" }).toString();
    expect((await parsePublicKey(pkcs1)).thumbprint).toBe(fromJwk.thumbprint);
  });

  it("accepts 4096 bits and refuses 1024 with the size in the message", async () => {
    expect((await parsePublicKey(pem(rsa(4096).publicKey))).bits).toBe(4096);
    expect(await refusal(pem(rsa(1024).publicKey))).toEqual(
      refusedWith(
        "This RSA key is 1024 bits. RSA keys must be 2048 to 4096 bits (openssl genrsa -out key.pem 2048), or use an EC P-256 key.",
      ),
    );
  });

  it("refuses a private key pasted by mistake, as PEM or as JWK, without echoing it", async () => {
    const privatePem = rsa2048.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const privateKey = refusedWith(
      "This is a private key. Never share it: paste the public key only (openssl pkey -in key.pem -pubout), and if this key left your systems, make a new pair.",
    );
    expect(await refusal(privatePem)).toEqual(privateKey);
    expect(await refusal(rsa2048.privateKey.export({ type: "pkcs1", format: "pem" }).toString())).toEqual(privateKey);
    expect(await refusal(JSON.stringify(rsa2048.privateKey.export({ format: "jwk" })))).toEqual(
      refusedWith(
        "This JWK contains private key material. Never share it: paste the public key only (kty, n and e for RSA; kty, crv, x and y for EC).",
      ),
    );
  });

  it("refuses an SSH key and malformed input with a message that says what to paste", async () => {
    expect(await refusal("ssh-rsa AAAAB3NzaC1yc2E user@host")).toEqual(
      refusedWith("This is an SSH public key. Paste it in PEM format (ssh-keygen -e -m PKCS8 -f key.pub)."),
    );
    expect(await refusal("")).toEqual(refusedWith("Paste a public key in PEM or JWK format."));
    expect(await refusal("hello")).toEqual(
      refusedWith('Paste a PEM public key (-----BEGIN PUBLIC KEY-----) or a JWK ({"kty":"RSA",...} or {"kty":"EC",...}).'),
    );
    expect(await refusal("{not json")).toEqual(
      refusedWith(
        'This looks like JSON but is not valid JSON. Paste a single JWK such as {"kty":"RSA","n":"...","e":"AQAB"} or {"kty":"EC","crv":"P-256","x":"...","y":"..."}.',
      ),
    );
    expect(await refusal('{"keys":[]}')).toEqual(refusedWith('This is a JWK Set. Paste one key from its "keys" array.'));
    const cut = pem(rsa2048.publicKey).slice(0, 120);
    expect(await refusal(`${cut}\n-----END PUBLIC KEY-----`)).toEqual(
      refusedWith(
        "The PEM public key could not be read: it looks damaged or cut short. Paste the whole block, BEGIN and END lines included.",
      ),
    );
    expect(await refusal("-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----")).toEqual(
      refusedWith("This is a certificate. Paste its public key instead (openssl x509 -in cert.pem -pubkey -noout)."),
    );
  });

  it("honours a JWK that asks for PS256 and refuses one that asks for HMAC or ES256", async () => {
    expect((await parsePublicKey(jwkText(rsa2048.publicKey, { alg: "PS256" }))).alg).toBe("PS256");
    expect(await refusal(jwkText(rsa2048.publicKey, { alg: "HS256" }))).toEqual(
      refusedWith("The JWK asks for alg HS256; RSA keys here sign with RS256 (or PS256)."),
    );
    expect(await refusal(jwkText(rsa2048.publicKey, { alg: "ES256" }))).toEqual(
      refusedWith("The JWK asks for alg ES256; RSA keys here sign with RS256 (or PS256)."),
    );
  });
});

describe("registering an EC key (ES256, RFC 7518 3.4: the P-256 curve only)", () => {
  const jwk = p256.publicKey.export({ format: "jwk" });
  const expected = { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };

  it("accepts a P-256 SPKI PEM as an EC P-256 key signing ES256, named by its RFC 7638 thumbprint", async () => {
    expect(await parsePublicKey(pem(p256.publicKey))).toEqual({
      type: "EC",
      jwk: expected,
      bits: 256,
      thumbprint: await calculateJwkThumbprint(expected, "sha256"),
      alg: "ES256",
    });
  });

  it("accepts the same key as a JWK, with or without alg ES256, and drops any other member", async () => {
    const fromPem = await parsePublicKey(pem(p256.publicKey));
    expect(await parsePublicKey(jwkText(p256.publicKey))).toEqual(fromPem);
    expect(await parsePublicKey(jwkText(p256.publicKey, { alg: "ES256", use: "sig", kid: "theirs" }))).toEqual(fromPem);
  });

  it("refuses a P-256 JWK that asks for another algorithm", async () => {
    expect(await refusal(jwkText(p256.publicKey, { alg: "RS256" }))).toEqual(
      refusedWith("The JWK asks for alg RS256; EC P-256 keys sign with ES256."),
    );
  });

  it("refuses the other curves, as PEM and as JWK, saying what is accepted", async () => {
    for (const [curve, name] of [
      ["P-384", "P-384"],
      ["P-521", "P-521"],
      ["secp256k1", "secp256k1"],
    ]) {
      const other = ec(curve as string).publicKey;
      const message = refusedWith(`This is an EC key on the ${name} curve. ${ACCEPTED}`);
      expect(await refusal(pem(other))).toEqual(message);
      expect(await refusal(jwkText(other))).toEqual(message);
    }
  });

  it("refuses Ed25519 keys, as PEM and as JWK, and an EC key in SSH format", async () => {
    const ed = generateKeyPairSync("ed25519").publicKey;
    expect(await refusal(ed.export({ type: "spki", format: "pem" }).toString())).toEqual(
      refusedWith(`This is an Ed25519 key. ${ACCEPTED}`),
    );
    expect(await refusal(JSON.stringify(ed.export({ format: "jwk" })))).toEqual(refusedWith(`This is an Ed25519 key. ${ACCEPTED}`));
    expect(await refusal('{"kty":"oct","k":"c2VjcmV0"}')).toEqual(
      refusedWith(
        "This JWK contains private key material. Never share it: paste the public key only (kty, n and e for RSA; kty, crv, x and y for EC).",
      ),
    );
    expect(await refusal('{"kty":"DSA"}')).toEqual(refusedWith(`This is a DSA key. ${ACCEPTED}`));
    expect(await refusal("ecdsa-sha2-nistp256 AAAAE2VjZHNh user@host")).toEqual(
      refusedWith("This is an SSH public key. Paste it in PEM format (ssh-keygen -e -m PKCS8 -f key.pub)."),
    );
  });

  it("refuses an EC private key, as SEC 1 PEM, PKCS#8 PEM and JWK", async () => {
    const privateKey = refusedWith(
      "This is a private key. Never share it: paste the public key only (openssl pkey -in key.pem -pubout), and if this key left your systems, make a new pair.",
    );
    expect(await refusal(p256.privateKey.export({ type: "sec1", format: "pem" }).toString())).toEqual(privateKey);
    expect(await refusal(p256.privateKey.export({ type: "pkcs8", format: "pem" }).toString())).toEqual(privateKey);
    expect(await refusal(JSON.stringify(p256.privateKey.export({ format: "jwk" })))).toEqual(
      refusedWith(
        "This JWK contains private key material. Never share it: paste the public key only (kty, n and e for RSA; kty, crv, x and y for EC).",
      ),
    );
  });

  it("refuses a P-256 JWK without its coordinates or with a point off the curve", async () => {
    expect(await refusal(JSON.stringify({ kty: "EC", crv: "P-256", x: jwk.x }))).toEqual(
      refusedWith("An EC JWK needs its coordinates x and y."),
    );
    expect(await refusal(JSON.stringify({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.x }))).toEqual(
      refusedWith("The JWK's x and y are not a point on the P-256 curve. Paste the key exactly as exported."),
    );
    expect(await refusal(JSON.stringify({ kty: "EC", x: jwk.x, y: jwk.y }))).toEqual(
      refusedWith(`This is an EC key on the unnamed curve. ${ACCEPTED}`),
    );
  });
});
