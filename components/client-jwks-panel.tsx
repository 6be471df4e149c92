import { formatDateTime } from "@/lib/format";
import { JWKS_STALE_GRACE_SECONDS } from "@/lib/oauth/client-jwks";
import { JwksUriForm, RemoveJwksUriForm } from "./forms/credentials/jwks-uri-form";
import type { FormAction } from "./forms/use-form-action";

/** What the panel shows of a client's JWKS URL (lib/data/api-details.ts gives it). */
export interface ClientJwksView {
  uri: string;
  keys: { kid: string; type: string; lastUsedAt: Date | null }[];
  fetchedAt: Date | null;
  lastError: string | null;
  failingSince: Date | null;
}

/**
 * Keys at a JWKS URL (docs/domain.md): where the client publishes them, which keys Rotor last
 * fetched, and, when fetching fails, since when and why, so the SPOC can fix it before the last
 * good keys run out.
 */
export function ClientJwksPanel({
  clientId,
  clientName,
  jwks,
  canChange,
  action,
  locale,
  timeZone,
}: {
  clientId: string;
  clientName: string;
  jwks: ClientJwksView | null;
  canChange: boolean;
  action: FormAction;
  locale: string;
  timeZone: string;
}) {
  if (!jwks && !canChange) return null;
  const at = (d: Date) => formatDateTime(d, locale, timeZone);
  return (
    <div className="space-y-2" data-testid="jwks-panel">
      <h4 className="font-semibold">Keys published at a JWKS URL</h4>
      {jwks ? (
        <div className="space-y-1 text-sm">
          <p>
            <code className="break-all font-mono">{jwks.uri}</code>
          </p>
          {jwks.fetchedAt ? (
            <p>
              Last fetched {at(jwks.fetchedAt)}:{" "}
              {jwks.keys.length === 0
                ? "no keys"
                : jwks.keys
                    .map((k) => `${k.kid} (${k.type}, ${k.lastUsedAt ? `last used ${at(k.lastUsedAt)}` : "not used yet"})`)
                    .join(", ")}
              .
            </p>
          ) : jwks.lastError ? null : (
            <p>Not fetched yet: Rotor fetches it at the first assertion from this client.</p>
          )}
          {jwks.lastError && jwks.failingSince ? (
            <p role="alert" className="rounded border-l-4 border-red-700 bg-red-50 px-3 py-2 text-red-900" data-testid="jwks-failing">
              Fetching this URL has failed since {at(jwks.failingSince)}: {jwks.lastError}{" "}
              {jwks.fetchedAt
                ? `Rotor keeps using the keys it fetched last for up to ${JWKS_STALE_GRACE_SECONDS / 3600} hours after they went stale, then refuses assertions signed with them.`
                : "Assertions signed with its keys are refused until a fetch works."}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-700">
          Instead of registering each key here, this client&apos;s system can publish its public keys at a URL, and rotate them by
          publishing the next one.
        </p>
      )}
      {canChange ? (
        <details className="rounded border border-slate-300">
          <summary className="cursor-pointer px-3 py-2 font-semibold text-brand-700">
            {jwks ? "Change the JWKS URL" : "Use a JWKS URL"}
            <span className="sr-only"> of {clientName}</span>
          </summary>
          <div className="space-y-2 p-3">
            <JwksUriForm clientId={clientId} clientName={clientName} current={jwks?.uri ?? null} action={action} />
            {jwks ? <RemoveJwksUriForm clientId={clientId} clientName={clientName} action={action} /> : null}
          </div>
        </details>
      ) : null}
    </div>
  );
}
