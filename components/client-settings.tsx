/** A client's settings as a description list: the API tab shows them read-only, the Platform area above its form. */
export interface ClientSettingsView {
  allowedScopes: string[];
  allowedAudiences: string[];
  defaultAudience: string;
  accessTokenTtlSeconds: number;
  accessTokenAlg: "ES256" | "RS256";
  legacyAudience: boolean;
  /** "12 Mar 2026, 09:00" style, already formatted in the organisation's zone; null while enabled. */
  disabledSince: string | null;
}

export function ClientSettings({ settings }: { settings: ClientSettingsView }) {
  // A client without audiences has the platform's own API as its only audience (docs/domain.md, "Clients").
  const audiences = settings.allowedAudiences.length ? settings.allowedAudiences : [settings.defaultAudience];
  return (
    <>
      <dt className="font-semibold">Status</dt>
      <dd data-testid="client-status">
        {settings.disabledSince ? (
          <strong className="text-red-800">Disabled since {settings.disabledSince}: token requests are refused</strong>
        ) : (
          "Enabled"
        )}
      </dd>
      <dt className="font-semibold">Scopes</dt>
      <dd>{settings.allowedScopes.join(" ") || "—"}</dd>
      <dt className="font-semibold">Audiences</dt>
      <dd className="break-all" data-testid="client-audiences">
        <ul>
          {audiences.map((a) => (
            <li key={a}>
              {a}
              {a === settings.defaultAudience ? (
                <>
                  {" "}
                  <strong className="whitespace-nowrap break-normal">(default)</strong>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </dd>
      <dt className="font-semibold">Access tokens</dt>
      <dd data-testid="client-token-settings">
        valid {settings.accessTokenTtlSeconds.toLocaleString("en-GB")} seconds, signed {settings.accessTokenAlg}
      </dd>
      <dt className="font-semibold">Legacy assertion aud</dt>
      <dd>{settings.legacyAudience ? "On: the token endpoint URL is also accepted" : "Off"}</dd>
    </>
  );
}
