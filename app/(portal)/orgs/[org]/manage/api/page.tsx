import type { Metadata } from "next";
import { ActivityList } from "@/components/activity-list";
import { ClientJwksPanel } from "@/components/client-jwks-panel";
import { ClientSettings } from "@/components/client-settings";
import { CopyButton } from "@/components/copy-button";
import { CredentialHistory } from "@/components/credential-history";
import { DataTable } from "@/components/data-table";
import { CompromiseRotateForm } from "@/components/forms/credentials/compromise-rotate-form";
import { LegacyAudienceForm } from "@/components/forms/credentials/legacy-audience-form";
import { PolicyForm } from "@/components/forms/credentials/policy-form";
import { RegisterKeyForm } from "@/components/forms/credentials/register-key-form";
import { RevealSecretForm } from "@/components/forms/credentials/reveal-secret-form";
import { RevokeKeyForm } from "@/components/forms/credentials/revoke-key-form";
import { RevokeSecretForm } from "@/components/forms/credentials/revoke-secret-form";
import { RotateSecretDialog } from "@/components/forms/credentials/rotate-secret-dialog";
import { NoSpocAlert } from "@/components/no-spoc-alert";
import { SECRET_STATE_LABELS } from "@/components/secret-labels";
import { type SecretRowView, SecretsTable } from "@/components/secrets-table";
import { StatusBadge } from "@/components/status-badge";
import { describeAuditEvent } from "@/lib/audit-descriptions";
import { hasRecentSignIn, requireOrganisationAccess } from "@/lib/auth/caller";
import { can } from "@/lib/auth/permissions";
import { describeStepUpWindow, reauthenticatePathFor } from "@/lib/auth/step-up";
import { getApiDetails, type SecretDto } from "@/lib/data/api-details";
import { listAuditEvents } from "@/lib/data/audit";
import { getDb } from "@/lib/data/database";
import { hasActiveSpoc } from "@/lib/data/memberships";
import { getPlatformSettings } from "@/lib/data/platform";
import { env } from "@/lib/env";
import { describeDaysLeft, describeKeyType, formatDateTime, formatLastUsed } from "@/lib/format";
import { type CalendarDate, formatCalendarDate } from "@/lib/rotation/calendar";
import {
  registerKeyAction,
  revealSecretAction,
  revokeKeyAction,
  revokeSecretAction,
  rotateSecretAction,
  setJwksUriAction,
  setLegacyAudienceAction,
  updatePolicyAction,
} from "./actions";

export const metadata: Metadata = { title: "API details" };

/** What each aud a client's assertions carried means for it (docs/domain.md, the legacy switch). */
const ASSERTION_AUD_KINDS = {
  issuer: () => "the issuer identifier, as it should be",
  token_endpoint: (legacy: boolean) =>
    legacy
      ? "the token endpoint URL, accepted only because the legacy switch is on"
      : "the token endpoint URL, refused: the system must send the issuer identifier, or the legacy switch must be on",
  other: () => "refused: not the issuer identifier",
} as const;

const KEY_STATES = {
  active: { label: "Active", tone: "good" },
  expiring: { label: "Expiring soon", tone: "warn" },
  expired: { label: "Expired", tone: "bad" },
  revoked: { label: "Revoked", tone: "muted" },
} as const;

export default async function ApiTabPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation, role, caller } = await requireOrganisationAccess(org, "api.view");
  const now = new Date();
  const db = await getDb();
  const [details, settings, activity, spoc, recentSignIn] = await Promise.all([
    getApiDetails(db, organisation, now, env().ROTOR_PUBLIC_URL, role),
    getPlatformSettings(db),
    can(role, "audit.view") ? listAuditEvents(db, organisation.id, 15) : Promise.resolve([]),
    hasActiveSpoc(db, organisation.id),
    hasRecentSignIn(),
  ]);
  const canRotate = can(role, "credentials.rotate");
  const showOnce = organisation.secretRevealPolicy === "show_once";
  const date = (d: CalendarDate) => formatCalendarDate(d, organisation.locale);
  const slug = organisation.slug;
  // Said before a button is pressed, so nobody loses a half-filled form to the sign-in page.
  const stepUpAhead = !recentSignIn && (canRotate || (can(role, "secrets.reveal") && !showOnce));

  return (
    <section aria-labelledby="api-heading" className="space-y-6">
      <div className="space-y-2">
        <h2 id="api-heading" className="text-xl font-semibold">
          API Details
        </h2>
        <p className="max-w-3xl text-slate-800">
          Below you can see the API details to access the {organisation.name} integration. You can share these details with the relevant
          members of your organisation to set up your API connections.
        </p>
        <p className="max-w-3xl rounded border-l-4 border-accent-500 bg-amber-50 px-4 py-2 text-slate-900">
          These details give access to the data handled by your organisation. Please perform the necessary due diligence before disclosing
          them.
        </p>
        {spoc ? null : <NoSpocAlert organisationName={organisation.name} />}
        {!canRotate ? (
          <p className="max-w-3xl text-sm text-slate-700">
            Only your organisation&apos;s designated user (SPOC) can rotate secrets and register keys.
          </p>
        ) : null}
        {stepUpAhead ? (
          <p className="max-w-3xl rounded border-l-4 border-brand-700 bg-brand-50 px-4 py-2 text-slate-900" data-testid="step-up-notice">
            You did not sign in within {describeStepUpWindow(env().ROTOR_STEP_UP_MINUTES)}. Before you{" "}
            {canRotate ? "reveal, rotate or revoke a secret, or register or revoke a key" : "reveal a secret"}, we will ask you to sign in
            again.{" "}
            <a
              href={reauthenticatePathFor(`/orgs/${slug}/manage/api`, env().ROTOR_PUBLIC_URL)}
              className="font-semibold text-brand-800 underline"
            >
              Sign in again now
            </a>
          </p>
        ) : null}
      </div>
      <dl className="grid gap-1">
        <dt className="font-semibold">Endpoint</dt>
        <dd>
          <code className="break-all font-mono" data-testid="api-endpoint">
            {details.endpoint}
          </code>
          <CopyButton value={details.endpoint} what="API endpoint" />
        </dd>
      </dl>
      <p className="text-sm text-slate-700">
        Secrets are valid for {organisation.validityDays} calendar days. From {organisation.overlapDays} days before a secret expires, a new
        secret {organisation.autoIssue ? "is issued automatically" : "can be issued by your designated user"} and both are accepted until
        the old one expires. Dates are in {organisation.timeZone}.
      </p>
      {details.clients.length === 0 ? (
        <p className="rounded border border-dashed border-slate-400 px-4 py-6 text-center text-slate-700">
          Your organisation has no API clients yet. Your platform operator creates them.
        </p>
      ) : null}
      {details.clients.map((client) => {
        const row = (slot: SecretRowView["slot"], s: SecretDto): SecretRowView => ({
          id: s.id,
          slot,
          masked: s.masked,
          label: s.label,
          created: date(s.createdOn),
          expires: date(s.expiresOn),
          expiresIn: s.daysLeft >= 0 ? `Expires ${describeDaysLeft(s.daysLeft)}` : `Expired ${describeDaysLeft(s.daysLeft)}`,
          state: SECRET_STATE_LABELS[s.state] ?? { label: s.state, tone: "muted" },
          lastUsed: formatLastUsed(s.lastUsedAt, now, organisation.locale),
          // Which buttons a row has is decided with the data (lib/rotation/secret-actions.ts), not here.
          actions:
            s.canReveal || s.canRevoke ? (
              <>
                {s.canReveal ? (
                  <RevealSecretForm clientId={client.clientId} secretId={s.id} action={revealSecretAction.bind(null, slug)} />
                ) : null}
                {s.canRevoke ? (
                  <RevokeSecretForm
                    clientId={client.clientId}
                    secretId={s.id}
                    masked={s.masked}
                    stillInUse={
                      s.revokeNeedsClientId && s.lastUsedAt
                        ? { lastUsed: formatLastUsed(s.lastUsedAt, now, organisation.locale).toLowerCase() }
                        : null
                    }
                    action={revokeSecretAction.bind(null, slug)}
                  />
                ) : null}
              </>
            ) : undefined,
        });
        const rows = [
          client.current ? row("Current secret", client.current) : null,
          client.next ? row("New secret", client.next) : null,
        ].filter((r) => r !== null);
        return (
          <article key={client.id} aria-labelledby={`client-${client.id}`} className="space-y-4 rounded border border-slate-300 p-4">
            <h3 id={`client-${client.id}`} className="text-lg font-semibold text-brand-900">
              {client.name}
            </h3>
            <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
              <dt className="font-semibold">Client ID</dt>
              <dd>
                <code className="font-mono" data-testid="client-id">
                  {client.clientId}
                </code>
                <CopyButton value={client.clientId} what={`client ID of ${client.name}`} />
              </dd>
              <ClientSettings
                settings={{
                  ...client,
                  disabledSince: client.disabledAt ? formatDateTime(client.disabledAt, organisation.locale, organisation.timeZone) : null,
                }}
              />
              <dt className="font-semibold">Audiences requested</dt>
              <dd className="break-all" data-testid="audiences-used">
                {client.audiencesUsed.length === 0
                  ? "None yet"
                  : client.audiencesUsed
                      .map(
                        (u) =>
                          `${u.audience} (${u.requestCount.toLocaleString("en-GB")} ${u.requestCount === 1 ? "token" : "tokens"}, last ${formatLastUsed(u.lastSeenAt, now, organisation.locale).toLowerCase()})`,
                      )
                      .join("; ")}
              </dd>
              <dt className="font-semibold">Assertion aud sent</dt>
              <dd className="break-all" data-testid="assertion-audiences">
                {client.assertionAudiences.length === 0 ? (
                  "None yet"
                ) : (
                  <ul className="space-y-1">
                    {client.assertionAudiences.map((u) => (
                      <li key={u.audience}>
                        <code className="font-mono text-sm">{u.audience}</code> ({u.requestCount.toLocaleString("en-GB")}{" "}
                        {u.requestCount === 1 ? "assertion" : "assertions"}, last{" "}
                        {formatLastUsed(u.lastSeenAt, now, organisation.locale).toLowerCase()}
                        ): {ASSERTION_AUD_KINDS[u.kind](client.legacyAudience)}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </dl>
            <SecretsTable rows={rows} caption={`Secrets of ${client.name}`} />
            {canRotate ? (
              <div className="flex flex-wrap items-start gap-4 border-t border-slate-200 pt-3">
                <RotateSecretDialog
                  clientId={client.clientId}
                  clientName={client.name}
                  showOnce={showOnce}
                  blockedReason={client.rotateBlockedReason}
                  facts={
                    client.rotation
                      ? {
                          oldMasked: client.rotation.old.masked,
                          oldExpiresOn: date(client.rotation.old.expiresOn),
                          oldLastUsed: client.rotation.old.lastUsedAt
                            ? formatLastUsed(client.rotation.old.lastUsedAt, now, organisation.locale).toLowerCase()
                            : null,
                          overlapEndsOn: date(client.rotation.overlapEndsOn),
                          overlapDays: organisation.overlapDays,
                          today: client.rotation.today,
                          latestDay: client.rotation.latestDay,
                        }
                      : null
                  }
                  action={rotateSecretAction.bind(null, slug)}
                />
                <CompromiseRotateForm clientId={client.clientId} action={rotateSecretAction.bind(null, slug)} />
              </div>
            ) : null}
            {client.keys.length > 0 || canRotate ? (
              <div className="space-y-2">
                <h4 className="font-semibold">Public keys for private_key_jwt</h4>
                <DataTable
                  caption={`Public keys of ${client.name}`}
                  empty="No public keys registered. Register one to let this client authenticate with a signed JWT instead of a secret."
                  rows={client.keys}
                  rowKey={(k) => k.id}
                  columns={[
                    {
                      header: "Key ID (kid)",
                      rowHeader: true,
                      cell: (k) => (
                        <>
                          {k.label ? <span className="block font-semibold">{k.label}</span> : null}
                          <code className="break-all font-mono text-xs">{k.kid}</code>
                          {k.kid !== k.thumbprint ? (
                            <span className="block text-xs text-slate-700">
                              Thumbprint <code className="break-all font-mono">{k.thumbprint}</code>
                            </span>
                          ) : null}
                        </>
                      ),
                    },
                    { header: "Type", cell: (k) => `${describeKeyType(k.type, k.bits)}, ${k.alg}` },
                    { header: "Created date", cell: (k) => date(k.createdOn) },
                    { header: "Expiration date", cell: (k) => (k.expiresOn ? date(k.expiresOn) : "No expiry") },
                    {
                      header: "Status",
                      cell: (k) => <StatusBadge tone={KEY_STATES[k.state].tone}>{KEY_STATES[k.state].label}</StatusBadge>,
                    },
                    { header: "Last used", cell: (k) => formatLastUsed(k.lastUsedAt, now, organisation.locale) },
                    ...(canRotate
                      ? [
                          {
                            header: "Actions",
                            cell: (k: (typeof client.keys)[number]) =>
                              k.canRevoke ? (
                                <RevokeKeyForm
                                  clientId={client.clientId}
                                  keyId={k.id}
                                  kid={k.kid}
                                  action={revokeKeyAction.bind(null, slug)}
                                />
                              ) : null,
                          },
                        ]
                      : []),
                  ]}
                />
                {canRotate ? (
                  <details className="rounded border border-slate-300">
                    <summary className="cursor-pointer px-3 py-2 font-semibold text-brand-700">Register a public key</summary>
                    <div className="p-3">
                      <RegisterKeyForm clientId={client.clientId} action={registerKeyAction.bind(null, slug)} />
                    </div>
                  </details>
                ) : null}
              </div>
            ) : null}
            {canRotate && (caller.isOperator || settings.spocsMaySetLegacyAudience) ? (
              <LegacyAudienceForm
                clientId={client.clientId}
                clientName={client.name}
                on={client.legacyAudience}
                action={setLegacyAudienceAction.bind(null, slug)}
              />
            ) : null}
            <ClientJwksPanel
              clientId={client.clientId}
              clientName={client.name}
              jwks={client.jwks}
              canChange={canRotate && (caller.isOperator || settings.spocsMaySetJwksUri)}
              action={setJwksUriAction.bind(null, slug)}
              locale={organisation.locale}
              timeZone={organisation.timeZone}
            />
            <CredentialHistory
              clientName={client.name}
              rows={client.history.map((h) => ({
                id: h.id,
                what: h.kind === "secret" ? `Secret ${h.name}` : `Key ${h.name}`,
                label: h.label,
                ended: formatDateTime(h.endedAt, organisation.locale, organisation.timeZone),
                how:
                  h.how === "expired"
                    ? "Expired"
                    : `Revoked${h.by ? ` by ${h.by}` : ""}${h.reason && h.reason !== "revoked" ? ` (${h.reason === "compromised" ? "after a compromise" : h.reason})` : ""}`,
              }))}
            />
          </article>
        );
      })}
      <section aria-labelledby="policy-heading" className="space-y-3 rounded border border-slate-300 p-4">
        <h3 id="policy-heading" className="text-lg font-semibold text-brand-900">
          Rotation policy
        </h3>
        {can(role, "policy.manage") ? (
          <PolicyForm
            action={updatePolicyAction.bind(null, slug)}
            policy={{
              validityDays: organisation.validityDays,
              overlapDays: organisation.overlapDays,
              reminderOffsets: organisation.reminderOffsets,
              autoIssue: organisation.autoIssue,
              secretRevealPolicy: organisation.secretRevealPolicy,
              maxValidityDays: settings.maxValidityDays,
            }}
          />
        ) : (
          <p>
            Secrets are valid for {organisation.validityDays} days with a {organisation.overlapDays}-day overlap; reminders{" "}
            {organisation.reminderOffsets.join(", ")} days before expiry. Secret values are{" "}
            {showOnce ? "shown only once, when created" : "revealable by admins and the designated user"}. Your admins set this policy.
          </p>
        )}
      </section>
      {can(role, "audit.view") ? (
        <section aria-labelledby="activity-heading" className="space-y-3">
          <h3 id="activity-heading" className="text-lg font-semibold text-brand-900">
            Activity
          </h3>
          <ActivityList
            items={activity.map((e) => ({
              id: e.id,
              when: formatDateTime(e.occurredAt, organisation.locale, organisation.timeZone),
              who: e.actorLabel,
              what: describeAuditEvent(e.action, e.metadata, (day) => date(day as CalendarDate)),
            }))}
          />
        </section>
      ) : null}
    </section>
  );
}
