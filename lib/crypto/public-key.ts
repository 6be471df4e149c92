import { createPublicKey, type KeyObject, type JsonWebKey as NodeJwk } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import { DomainError } from "@/lib/errors";

/**
 * Public keys for private_key_jwt (seed 002), PEM or JWK: RSA of 2048 to 4096 bits, or EC on the
 * P-256 curve for ES256 (RFC 7518 3.4), which GOV.UK One Login signs with by default (seed 003).
 * Every refusal names the problem and says what is accepted.
 */

export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;
const MAX_INPUT = 20_000;

/** The two families of key a client may register; db/schema.ts holds the same closed set. */
export const PUBLIC_KEY_TYPES = ["RSA", "EC"] as const;
export type PublicKeyType = (typeof PUBLIC_KEY_TYPES)[number];

export type PublicJwk = { kty: "RSA"; n: string; e: string } | { kty: "EC"; crv: "P-256"; x: string; y: string };

export interface ParsedPublicKey {
  type: PublicKeyType;
  jwk: PublicJwk;
  /** The RSA modulus length, or 256 for P-256. */
  bits: number;
  thumbprint: string;
  alg: "RS256" | "PS256" | "ES256";
}

const ACCEPTED = `Only RSA keys of ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits and EC keys on the P-256 curve are accepted.`;

const invalid = (message: string) => new DomainError("invalid", message, "key");

/** Node's names for the curves (OpenSSL's) and the JWK names integrators know (RFC 7518 6.2.1.1). */
const CURVE_NAMES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521", secp256k1: "secp256k1" };

function fromPem(pem: string): KeyObject {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1] ?? "";
  if (label.includes("PRIVATE KEY")) {
    throw invalid(
      "This is a private key. Never share it: paste the public key only (openssl pkey -in key.pem -pubout), and if this key left your systems, make a new pair.",
    );
  }
  if (label === "CERTIFICATE") {
    throw invalid("This is a certificate. Paste its public key instead (openssl x509 -in cert.pem -pubkey -noout).");
  }
  if (label !== "PUBLIC KEY" && label !== "RSA PUBLIC KEY") {
    throw invalid(`A PEM "${label || "unknown"}" block is not a public key. Paste a block that starts with -----BEGIN PUBLIC KEY-----.`);
  }
  try {
    return createPublicKey(pem);
  } catch {
    throw invalid(
      "The PEM public key could not be read: it looks damaged or cut short. Paste the whole block, BEGIN and END lines included.",
    );
  }
}

function importJwk(jwk: NodeJwk, damaged: string): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: "jwk" });
  } catch {
    throw invalid(damaged);
  }
}

function fromJwk(text: string): { key: KeyObject; alg: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(
      'This looks like JSON but is not valid JSON. Paste a single JWK such as {"kty":"RSA","n":"...","e":"AQAB"} or {"kty":"EC","crv":"P-256","x":"...","y":"..."}.',
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid("A JWK must be a JSON object.");
  const jwk = parsed as Record<string, unknown>;
  if (Array.isArray(jwk.keys)) throw invalid('This is a JWK Set. Paste one key from its "keys" array.');
  if (["d", "p", "q", "dp", "dq", "qi", "k"].some((f) => f in jwk)) {
    throw invalid(
      "This JWK contains private key material. Never share it: paste the public key only (kty, n and e for RSA; kty, crv, x and y for EC).",
    );
  }
  if (jwk.kty === "RSA") {
    if (typeof jwk.n !== "string" || typeof jwk.e !== "string") throw invalid("An RSA JWK needs its modulus n and exponent e.");
    const key = importJwk(
      { kty: "RSA", n: jwk.n, e: jwk.e },
      "The JWK's n or e is not valid base64url. Paste the key exactly as exported.",
    );
    return { key, alg: jwk.alg };
  }
  if (jwk.kty === "EC") {
    if (jwk.crv !== "P-256") throw invalid(`This is an EC key on the ${String(jwk.crv ?? "unnamed")} curve. ${ACCEPTED}`);
    if (typeof jwk.x !== "string" || typeof jwk.y !== "string") throw invalid("An EC JWK needs its coordinates x and y.");
    const key = importJwk(
      { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
      "The JWK's x and y are not a point on the P-256 curve. Paste the key exactly as exported.",
    );
    return { key, alg: jwk.alg };
  }
  if (jwk.kty === "OKP") throw invalid(`This is an ${String(jwk.crv ?? "OKP")} key. ${ACCEPTED}`);
  throw invalid(`This is a ${String(jwk.kty ?? "typeless")} key. ${ACCEPTED}`);
}

async function acceptRsa(key: KeyObject, requestedAlg: unknown): Promise<ParsedPublicKey> {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw invalid(
      `This RSA key is ${bits} bits. RSA keys must be ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits (openssl genrsa -out key.pem 2048), or use an EC P-256 key.`,
    );
  }
  if (requestedAlg !== undefined && requestedAlg !== "RS256" && requestedAlg !== "PS256") {
    throw invalid(`The JWK asks for alg ${String(requestedAlg)}; RSA keys here sign with RS256 (or PS256).`);
  }
  const exported = key.export({ format: "jwk" }) as { n: string; e: string };
  const jwk = { kty: "RSA" as const, n: exported.n, e: exported.e };
  return {
    type: "RSA",
    jwk,
    bits,
    thumbprint: await calculateJwkThumbprint(jwk, "sha256"),
    alg: requestedAlg === "PS256" ? "PS256" : "RS256",
  };
}

async function acceptEc(key: KeyObject, requestedAlg: unknown): Promise<ParsedPublicKey> {
  const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
  if (curve !== "prime256v1") throw invalid(`This is an EC key on the ${CURVE_NAMES[curve] ?? (curve || "unnamed")} curve. ${ACCEPTED}`);
  if (requestedAlg !== undefined && requestedAlg !== "ES256") {
    throw invalid(`The JWK asks for alg ${String(requestedAlg)}; EC P-256 keys sign with ES256.`);
  }
  const exported = key.export({ format: "jwk" }) as { x: string; y: string };
  const jwk = { kty: "EC" as const, crv: "P-256" as const, x: exported.x, y: exported.y };
  return { type: "EC", jwk, bits: 256, thumbprint: await calculateJwkThumbprint(jwk, "sha256"), alg: "ES256" };
}

export async function parsePublicKey(input: string): Promise<ParsedPublicKey> {
  const text = input.trim();
  if (text.length === 0) throw invalid("Paste a public key in PEM or JWK format.");
  if (text.length > MAX_INPUT) throw invalid("That is far too long for a public key. Paste one PEM block or one JWK.");
  let key: KeyObject;
  let requestedAlg: unknown;
  if (text.startsWith("-----BEGIN")) key = fromPem(text);
  else if (text.startsWith("{")) ({ key, alg: requestedAlg } = fromJwk(text));
  else if (/^(ssh-(rsa|ed25519)|ecdsa-sha2-)/.test(text))
    throw invalid("This is an SSH public key. Paste it in PEM format (ssh-keygen -e -m PKCS8 -f key.pub).");
  else throw invalid('Paste a PEM public key (-----BEGIN PUBLIC KEY-----) or a JWK ({"kty":"RSA",...} or {"kty":"EC",...}).');

  if (key.asymmetricKeyType === "rsa") return acceptRsa(key, requestedAlg);
  if (key.asymmetricKeyType === "ec") return acceptEc(key, requestedAlg);
  const names: Record<string, string> = { ed25519: "an Ed25519", ed448: "an Ed448", "rsa-pss": "an RSA-PSS", dsa: "a DSA" };
  const type = String(key.asymmetricKeyType);
  throw invalid(`This is ${names[type] ?? `a ${type.toUpperCase()}`} key. ${ACCEPTED}`);
}
