import type { Metadata } from "next";
import { AssertionCheckerForm } from "@/components/assertion-checker-form";
import { CopyButton } from "@/components/copy-button";
import { Mailbox } from "@/components/mailbox";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getApiDetails } from "@/lib/data/api-details";
import { getDb } from "@/lib/data/database";
import { listOrganisationMail, listOwnSignInMail, type MailDto } from "@/lib/data/mailbox";
import { renderMessage } from "@/lib/email/render";
import { env } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { JWT_BEARER_ASSERTION_TYPE } from "@/lib/oauth/constants";
import { usesDevMailbox } from "@/lib/scheduler/runtime";
import { checkAssertionAction } from "./actions";

export const metadata: Metadata = { title: "Dev Tools" };

export default async function DevToolsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation, caller } = await requireOrganisationAccess(org, "api.view");
  const publicUrl = env().ROTOR_PUBLIC_URL;
  const db = await getDb();
  const details = await getApiDetails(db, organisation, new Date(), publicUrl);
  const view = async (m: MailDto) => {
    const at = m.sentAt ?? m.createdAt;
    const erased = (m.data as { erased?: boolean }).erased === true;
    const body = erased
      ? { html: "", text: "", erased: true }
      : m.html && m.text
        ? { html: m.html, text: m.text }
        : await renderMessage(m, at, publicUrl);
    return {
      id: m.id,
      subject: m.subject,
      to: m.to.join(", "),
      when: formatDateTime(at, organisation.locale, organisation.timeZone),
      status: m.status,
      ...body,
    };
  };
  // The organisation's mail, and the viewer's own sign-in mail: nobody sees another person's link.
  const mailbox = usesDevMailbox()
    ? await Promise.all(
        [...(caller.email ? await listOwnSignInMail(db, caller.email) : []), ...(await listOrganisationMail(db, organisation.id))]
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
          .map(view),
      )
    : null;
  const clientId = details.clients[0]?.clientId ?? "YOUR_CLIENT_ID";
  const curl = [
    `curl -s -X POST ${publicUrl}/oauth/token \\`,
    `  -u "${clientId}:$CLIENT_SECRET" \\`,
    "  -d grant_type=client_credentials",
  ].join("\n");
  const activeKey = details.clients.flatMap((c) => c.keys).find((k) => k.state === "active");
  const kid = activeKey?.kid ?? "YOUR_KEY_ID";
  // The example signs as the key it names can verify: ES256 for an EC P-256 key (docs/domain.md, "The token endpoint").
  const alg = activeKey?.type === "EC" ? "ES256" : "RS256";
  const joseExample = `import { readFileSync } from "node:fs";
import { importPKCS8, SignJWT } from "jose";

const issuer = "${publicUrl}";
const clientId = "${clientId}";
// ${alg === "ES256" ? "Your EC P-256 key signs ES256; an RSA key would sign RS256." : "An RSA key signs RS256 (or PS256); an EC P-256 key would sign ES256."}
const privateKey = await importPKCS8(readFileSync("test_key.pem", "utf8"), "${alg}");

// A new assertion for every token request: its jti is accepted once.
const now = Math.floor(Date.now() / 1000);
const assertion = await new SignJWT({})
  .setProtectedHeader({ alg: "${alg}", kid: "${kid}" })
  .setIssuer(clientId)
  .setSubject(clientId)
  .setAudience(issuer) // the issuer identifier, exactly: no trailing slash, not the token URL
  .setIssuedAt(now)
  .setExpirationTime(now + 300) // at most 5 minutes after iat
  .setJti(crypto.randomUUID())
  .sign(privateKey);

const response = await fetch(\`\${issuer}/oauth/token\`, {
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({
    grant_type: "client_credentials",
    client_assertion_type: "${JWT_BEARER_ASSERTION_TYPE}",
    client_assertion: assertion,
  }),
});
const { access_token, expires_in } = await response.json();`;
  const rotateCurl = [
    `curl -s -X POST ${publicUrl}/api/v1/clients/${clientId}/secrets \\`,
    '  -H "Authorization: Bearer $ROTOR_API_TOKEN" \\',
    '  -H "Idempotency-Key: $(uuidgen)" \\',
    "  -H 'Content-Type: application/json' -d '{}'",
  ].join("\n");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-brand-900">Dev Tools</h1>
      <section aria-labelledby="token-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="token-heading" className="text-lg font-semibold">
          Get an access token with a client secret
        </h2>
        <p>
          Send your client ID and secret with HTTP Basic authentication to the token endpoint (OAuth 2.0 client credentials). Keep the
          secret in an environment variable, never in source code.
        </p>
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">Token endpoint</dt>
          <dd>
            <code className="break-all font-mono">{publicUrl}/oauth/token</code>
          </dd>
          <dt className="font-semibold">API endpoint</dt>
          <dd>
            <code className="break-all font-mono">{details.endpoint}</code>
          </dd>
        </dl>
        <div>
          <CopyButton value={curl} what="the curl token request" />
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrolls sideways, so it must take focus */}
        <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-900 p-4 text-sm text-slate-50">
          <code>{curl}</code>
        </pre>
      </section>
      <section aria-labelledby="jwt-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="jwt-heading" className="text-lg font-semibold">
          Get an access token with a private key (private_key_jwt)
        </h2>
        <p>
          Register your public key on the API tab (RSA of 2048 to 4096 bits, signing RS256 or PS256, or EC on the P-256 curve, signing
          ES256), keep the private key on your systems, and sign a short-lived JWT for each request. With Node.js and jose:
        </p>
        <div>
          <CopyButton value={joseExample} what="the Node.js private_key_jwt example" />
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrolls sideways, so it must take focus */}
        <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-900 p-4 text-sm text-slate-50">
          <code>{joseExample}</code>
        </pre>
      </section>
      <section aria-labelledby="checker-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="checker-heading" className="text-lg font-semibold">
          Check a client assertion
        </h2>
        <p>
          Paste an assertion to get the verdict and reason the token endpoint would give: wrong type URN, an aud with a trailing slash, exp
          too far after iat, an unknown kid. Checking does not use up its jti.
        </p>
        <AssertionCheckerForm action={checkAssertionAction.bind(null, organisation.slug)} defaultType={JWT_BEARER_ASSERTION_TYPE} />
      </section>
      {mailbox ? (
        <section aria-labelledby="mailbox-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
          <h2 id="mailbox-heading" className="text-lg font-semibold">
            Development mailbox
          </h2>
          <p>
            No e-mail service is configured (RESEND_API_KEY is unset), so e-mail to your organisation lands here instead, with your own
            sign-in mail (never anyone else's; a sign-in link is erased once delivered). This mailbox exists in development and demo
            deployments only.
          </p>
          <Mailbox messages={mailbox} />
        </section>
      ) : null}
      <section aria-labelledby="management-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="management-heading" className="text-lg font-semibold">
          Automate rotation with the management API
        </h2>
        <p>
          Your designated user can rotate secrets and register keys from scripts with a personal API token (Account Management). The API is
          described by an{" "}
          <a className="font-semibold text-brand-700 underline" href="/api/v1/openapi.json">
            OpenAPI 3.1 document
          </a>
          ; errors are RFC 9457 problem details, and POSTs accept an Idempotency-Key so a retry never rotates twice.
        </p>
        <div>
          <CopyButton value={rotateCurl} what="the curl rotation request" />
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrolls sideways, so it must take focus */}
        <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-900 p-4 text-sm text-slate-50">
          <code>{rotateCurl}</code>
        </pre>
      </section>
    </div>
  );
}
