/**
 * The yardstick for `npm run bench:token` (mount "bare"): a token endpoint with nothing but
 * node:http, jose and postgres.js doing the work Rotor's does for client_secret_basic. It reads the
 * form, parses Basic, checks the secret's shape and checksum, looks the client and its live secrets
 * up with one prepared statement, compares SHA-256 digests in constant time, signs the same RFC 9068
 * claims with the same ES256/RS256 key Rotor would use, and answers the same JSON with the same
 * headers. What it leaves out is what Rotor adds around that work (rate limits, usage recording,
 * the fetch Request/Response round trip, drizzle), so the difference is the price of those.
 *
 * BARE_SIGNER=node-crypto (mount "bare-node-crypto") signs with node:crypto's sign() instead of
 * jose, as lib/oauth/access-token.ts does: jose 6 turns a KeyObject into a WebCrypto key on every
 * call, so the plain "bare" mount pays more for its signature than Rotor does.
 *
 * Not a server to deploy: no private_key_jwt, no scope or audience parameters, no error detail.
 * Environment as for scripts/server.ts: DATABASE_URL, ROTOR_ENCRYPTION_KEYS, ROTOR_PUBLIC_URL,
 * PORT, HOSTNAME.
 */
import { createHash, type KeyObject, randomUUID, sign, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { SignJWT } from "jose";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { isWellFormedToken } from "@/lib/crypto/tokens";
import { machineHeaders } from "@/lib/oauth/security";
import { createKeyCache } from "@/lib/oauth/signing-keys";

const databaseUrl = process.env.DATABASE_URL as string;
const issuer = process.env.ROTOR_PUBLIC_URL as string;
const port = Number(process.env.PORT ?? 3900);

// The signing keys, loaded (and made, on a fresh database) once at start, as Rotor's cache holds them.
const handle = await openDatabase({ url: databaseUrl });
const published = await createKeyCache(handle.db, parseKeyRing(process.env.ROTOR_ENCRYPTION_KEYS as string)).get(new Date());
await handle.close();
const signers = published.signers as Record<string, { kid: string; key: KeyObject }>;

const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
const platformApi = `${issuer}/api/v1`;
const headers = {
  ...machineHeaders(issuer),
  "Content-Type": "application/json;charset=UTF-8",
  "Cache-Control": "no-store",
  Pragma: "no-cache",
};

function answer(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { ...headers, "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
}
const refuse = (res: ServerResponse, status: number, error: string) => answer(res, status, JSON.stringify({ error }));

const nodeCrypto = process.env.BARE_SIGNER === "node-crypto";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
function nodeCryptoJwt(alg: string, signer: { kid: string; key: KeyObject }, claims: Record<string, unknown>): string {
  const input = `${b64({ alg, kid: signer.kid, typ: "at+jwt" })}.${b64(claims)}`;
  const signature = sign("sha256", Buffer.from(input), alg === "ES256" ? { key: signer.key, dsaEncoding: "ieee-p1363" } : signer.key);
  return `${input}.${signature.toString("base64url")}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function token(req: IncomingMessage, res: ServerResponse) {
  if (!/^application\/x-www-form-urlencoded/i.test(req.headers["content-type"] ?? "")) return refuse(res, 400, "invalid_request");
  const form = new URLSearchParams(await readBody(req));
  if (form.get("grant_type") !== "client_credentials") return refuse(res, 400, "unsupported_grant_type");
  const authorization = req.headers.authorization ?? "";
  if (!/^basic /i.test(authorization)) return refuse(res, 401, "invalid_client");
  const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return refuse(res, 401, "invalid_client");
  const clientId = decodeURIComponent(decoded.slice(0, colon));
  const secret = decodeURIComponent(decoded.slice(colon + 1));
  if (!isWellFormedToken(secret, "rtr_cs_") || !/^[A-Za-z0-9_-]{8,64}$/.test(clientId)) return refuse(res, 401, "invalid_client");
  const now = new Date();
  const at = now.toISOString();
  const rows = await sql`
    select c.client_id, c.allowed_scopes, c.allowed_audiences, c.default_audience, c.access_token_ttl_seconds,
           c.access_token_alg, s.id as secret_id, s.digest
    from oauth_client c
    join organisation o on o.id = c.organisation_id
    left join client_secret s on s.client_id = c.id and s.created_at <= ${at}::timestamptz
      and s.expires_at > ${at}::timestamptz and (s.revoked_at is null or s.revoked_at > ${at}::timestamptz)
    where c.client_id = ${clientId} and c.disabled_at is null`;
  const digest = createHash("sha256").update(secret, "utf8").digest();
  let match = false;
  for (const row of rows) {
    if (row.digest && timingSafeEqual(Buffer.from(row.digest as string, "hex"), digest)) match = true;
  }
  const client = rows[0];
  if (!client || !match) return refuse(res, 401, "invalid_client");
  const signer = signers[client.access_token_alg as string];
  if (!signer) return refuse(res, 503, "server_error");
  const audiences = client.allowed_audiences as string[];
  const audience = audiences.length === 0 ? platformApi : ((client.default_audience as string | null) ?? platformApi);
  const scope = (client.allowed_scopes as string[]).join(" ");
  const ttl = client.access_token_ttl_seconds as number;
  const iat = Math.floor(now.getTime() / 1000);
  const claims = { client_id: clientId, scope, iss: issuer, sub: clientId, aud: audience, iat, exp: iat + ttl, jti: randomUUID() };
  const accessToken = nodeCrypto
    ? nodeCryptoJwt(client.access_token_alg as string, signer, claims)
    : await new SignJWT({ client_id: clientId, scope })
        .setProtectedHeader({ alg: client.access_token_alg as string, kid: signer.kid, typ: "at+jwt" })
        .setIssuer(issuer)
        .setSubject(clientId)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .setJti(randomUUID())
        .sign(signer.key);
  answer(res, 200, JSON.stringify({ access_token: accessToken, token_type: "Bearer", expires_in: ttl, ...(scope ? { scope } : {}) }));
}

const server = createServer((req, res) => {
  if (req.url === "/oauth/token" && req.method === "POST") {
    token(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 503, "temporarily_unavailable");
    });
  } else if (req.url === "/.well-known/oauth-authorization-server") {
    answer(res, 200, JSON.stringify({ issuer, token_endpoint: `${issuer}/oauth/token` }));
  } else {
    refuse(res, 404, "not_found");
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, process.env.HOSTNAME ?? "127.0.0.1");
const shutdown = () => {
  server.close();
  sql.end({ timeout: 1 }).finally(() => process.exit(0));
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
