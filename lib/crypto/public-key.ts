import { createPublicKey, type KeyObject, type JsonWebKey as NodeJwk } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import { DomainError } from "@/lib/errors";

/**
 * Public keys for private_key_jwt (seed 002): PEM or JWK, RSA of 2048 to 4096 bits only. Every
 * refusal names the problem and how to fix it.
 */

export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;
const MAX_INPUT = 20_000;

export interface ParsedPublicKey {
  jwk: { kty: "RSA"; n: string; e: string };
  bits: number;
  thumbprint: string;
  alg: "RS256" | "PS256";
}

const invalid = (message: string) => new DomainError("invalid", message, "key");

function fromPem(pem: string): KeyObject {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1] ?? "";
  if (label.includes("PRIVATE KEY")) {
    throw invalid(
      "This is a private key. Never share it: paste the public key only (openssl rsa -in key.pem -pubout), and if this key left your systems, make a new pair.",
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

function fromJwk(text: string): { key: KeyObject; alg: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('This looks like JSON but is not valid JSON. Paste a single JWK such as {"kty":"RSA","n":"...","e":"AQAB"}.');
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid("A JWK must be a JSON object.");
  const jwk = parsed as Record<string, unknown>;
  if (Array.isArray(jwk.keys)) throw invalid('This is a JWK Set. Paste one key from its "keys" array.');
  if (["d", "p", "q", "dp", "dq", "qi", "k"].some((f) => f in jwk)) {
    throw invalid("This JWK contains private key material. Never share it: paste the public key only (kty, n and e).");
  }
  if (jwk.kty !== "RSA") throw invalid(`This is a ${String(jwk.kty ?? "typeless")} key. Only RSA keys of 2048 to 4096 bits are accepted.`);
  if (typeof jwk.n !== "string" || typeof jwk.e !== "string") throw invalid("An RSA JWK needs its modulus n and exponent e.");
  try {
    return { key: createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e } as NodeJwk, format: "jwk" }), alg: jwk.alg };
  } catch {
    throw invalid("The JWK's n or e is not valid base64url. Paste the key exactly as exported.");
  }
}

export async function parsePublicKey(input: string): Promise<ParsedPublicKey> {
  const text = input.trim();
  if (text.length === 0) throw invalid("Paste a public key in PEM or JWK format.");
  if (text.length > MAX_INPUT) throw invalid("That is far too long for a public key. Paste one PEM block or one JWK.");
  let key: KeyObject;
  let requestedAlg: unknown;
  if (text.startsWith("-----BEGIN")) key = fromPem(text);
  else if (text.startsWith("{")) ({ key, alg: requestedAlg } = fromJwk(text));
  else if (/^ssh-(rsa|ed25519)/.test(text))
    throw invalid("This is an SSH public key. Paste it in PEM format (ssh-keygen -e -m PKCS8 -f key.pub).");
  else throw invalid('Paste a PEM public key (-----BEGIN PUBLIC KEY-----) or a JWK ({"kty":"RSA",...}).');

  if (key.asymmetricKeyType !== "rsa") {
    throw invalid(`This is an ${String(key.asymmetricKeyType).toUpperCase()} key. Only RSA keys of 2048 to 4096 bits are accepted.`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw invalid(`This RSA key is ${bits} bits. Keys must be ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits (openssl genrsa -out key.pem 2048).`);
  }
  if (requestedAlg !== undefined && requestedAlg !== "RS256" && requestedAlg !== "PS256") {
    throw invalid(`The JWK asks for alg ${String(requestedAlg)}; RSA keys here sign with RS256 (or PS256).`);
  }
  const exported = key.export({ format: "jwk" }) as { n: string; e: string };
  const jwk = { kty: "RSA" as const, n: exported.n, e: exported.e };
  return { jwk, bits, thumbprint: await calculateJwkThumbprint(jwk, "sha256"), alg: requestedAlg === "PS256" ? "PS256" : "RS256" };
}
