import type { Metadata } from "next";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getApiDetails } from "@/lib/data/api-details";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Dev Tools" };

export default async function DevToolsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation } = await requireOrganisationAccess(org, "api.view");
  const publicUrl = env().ROTOR_PUBLIC_URL;
  const details = await getApiDetails(await getDb(), organisation, new Date(), publicUrl);
  const clientId = details.clients[0]?.clientId ?? "YOUR_CLIENT_ID";
  const curl = [
    `curl -s -X POST ${publicUrl}/oauth/token \\`,
    `  -u "${clientId}:$CLIENT_SECRET" \\`,
    "  -d grant_type=client_credentials",
  ].join("\n");
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
        <pre className="overflow-x-auto rounded bg-slate-900 p-4 text-sm text-slate-50">
          <code>{curl}</code>
        </pre>
      </section>
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
        <pre className="overflow-x-auto rounded bg-slate-900 p-4 text-sm text-slate-50">
          <code>{rotateCurl}</code>
        </pre>
      </section>
    </div>
  );
}
