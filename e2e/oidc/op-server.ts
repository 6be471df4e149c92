/**
 * A real OpenID Provider for the e2e sign-in tests (the oidc-provider package), configured like
 * GOV.UK One Login: ES256 ID tokens, private_key_jwt client authentication, PKCE, UserInfo,
 * RP-initiated logout. A test control endpoint makes it misbehave on purpose, one way at a time,
 * so the relying party's checks can be seen refusing: wrong nonce, iss, aud, an expired ID token,
 * a UserInfo sub that differs, an authorization error.
 *
 *   GET /test/mode?value=nonce|iss|aud|expired|userinfo-sub|unverified-email|state|error|none
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { decodeJwt, importJWK, SignJWT } from "jose";
import Provider from "oidc-provider";

const port = Number(process.argv[2] ?? 3300);
const issuer = `http://localhost:${port}`;
const keys = JSON.parse(readFileSync(new URL("../fixtures/oidc-keys.json", import.meta.url), "utf8"));
const rps = (process.argv[3] ?? "http://localhost:3200").split(",");
let mode = "none";

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "rotor-test",
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "RS256",
      jwks: { keys: [keys.client.public] },
      redirect_uris: rps.map((rp) => `${rp}/api/auth/callback/oidc`),
      post_logout_redirect_uris: rps.map((rp) => `${rp}/signin`),
      id_token_signed_response_alg: "ES256",
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [keys.op.private] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  enabledJWA: { idTokenSigningAlgValues: ["ES256"], clientAuthSigningAlgValues: ["RS256", "PS256", "ES256"] },
  async findAccount(_ctx, sub) {
    return { accountId: sub, claims: async () => ({ sub, email: sub, email_verified: mode !== "unverified-email" }) };
  },
  cookies: { keys: ["test-op-cookie-key"] },
});
provider.proxy = false;

const signingKey = await importJWK(keys.op.private, "ES256");

/** Re-signs the ID token the provider issued, changed in the way the current mode asks. */
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === "/token" && ctx.status === 200 && mode !== "none" && mode !== "userinfo-sub") {
    const body = ctx.body as { id_token?: string };
    if (!body.id_token) return;
    const claims = decodeJwt(body.id_token) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (mode === "nonce") claims.nonce = "not-the-nonce-you-sent";
    if (mode === "iss") claims.iss = `${issuer}/`;
    if (mode === "aud") claims.aud = "someone-else";
    if (mode === "expired") Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
    body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: keys.op.private.kid }).sign(signingKey);
  }
  // The authorization response (the redirect back to the relying party): a tampered state, or an error.
  const location = ctx.response.get("location");
  if ((mode === "state" || mode === "error") && location && rps.some((rp) => location.startsWith(`${rp}/api/auth/callback/`))) {
    const back = new URL(location);
    if (mode === "state") back.searchParams.set("state", "tampered-state");
    if (mode === "error") {
      back.searchParams.delete("code");
      back.searchParams.set("error", "server_error");
      back.searchParams.set("error_description", "The provider failed");
    }
    ctx.redirect(back.toString());
  }
  if (ctx.path === "/me" && ctx.status === 200 && mode === "userinfo-sub") {
    (ctx.body as { sub: string }).sub = "somebody-else@example.com";
  }
});

const callback = provider.callback();
createServer((req, res) => {
  if (req.url?.startsWith("/test/mode")) {
    mode = new URL(req.url, issuer).searchParams.get("value") ?? "none";
    res.writeHead(200, { "content-type": "text/plain" }).end(mode);
    return;
  }
  callback(req, res);
}).listen(port, () => console.info(`test OpenID Provider on ${issuer}`));
