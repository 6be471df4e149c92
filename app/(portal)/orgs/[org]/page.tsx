import type { Metadata } from "next";
import Link from "next/link";
import { NoSpocAlert } from "@/components/no-spoc-alert";
import { HEALTH_LABELS } from "@/components/secret-labels";
import { StatusBadge } from "@/components/status-badge";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getApiDetails } from "@/lib/data/api-details";
import { getDb } from "@/lib/data/database";
import { hasActiveSpoc } from "@/lib/data/memberships";
import { env } from "@/lib/env";
import { describeDaysLeft } from "@/lib/format";
import { welcomeHeading } from "@/lib/greeting";
import { formatCalendarDate } from "@/lib/rotation/calendar";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation, role, caller } = await requireOrganisationAccess(org, "organisation.view");
  // A service account named after the organisation is not greeted by that name (lib/greeting.ts).
  const welcome = welcomeHeading(caller.name, organisation.name);
  const db = await getDb();
  const noSpoc = (await hasActiveSpoc(db, organisation.id)) ? null : <NoSpocAlert organisationName={organisation.name} />;

  if (!can(role, "api.view")) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-bold text-brand-900">{welcome}</h1>
        {noSpoc}
        <p>
          You are a {ROLE_LABELS[role].toLowerCase()} of {organisation.name}. Your organisation&apos;s API credentials are looked after by
          its admins and designated user.
        </p>
        <p>
          <Link className="text-brand-700 underline" href={`/orgs/${organisation.slug}/manage/offices`}>
            See your organisation&apos;s offices
          </Link>
        </p>
      </div>
    );
  }

  const now = new Date();
  const details = await getApiDetails(db, organisation, now, env().ROTOR_PUBLIC_URL);
  const date = (d: string) => formatCalendarDate(d as Parameters<typeof formatCalendarDate>[0], organisation.locale);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-900">{welcome}</h1>
        <p className="text-slate-700">
          {organisation.name} · {ROLE_LABELS[role]}
        </p>
      </div>
      {noSpoc}
      <section aria-labelledby="health-heading" className="space-y-3">
        <h2 id="health-heading" className="text-xl font-semibold">
          Credential health
        </h2>
        {details.clients.length === 0 ? <p className="text-slate-700">No API clients yet.</p> : null}
        <ul className="grid gap-4 md:grid-cols-2">
          {details.clients.map((c) => {
            const badge = HEALTH_LABELS[c.health.status] ?? { label: c.health.status, tone: "muted" as const };
            return (
              <li key={c.id} className="space-y-2 rounded border border-slate-300 bg-white p-4" data-testid="health-card">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <h3 className="font-semibold text-brand-900">{c.name}</h3>
                  <StatusBadge tone={badge.tone}>{badge.label}</StatusBadge>
                </div>
                <p className="text-sm text-slate-700">
                  Client ID <code className="font-mono">{c.clientId}</code>
                </p>
                {c.current ? (
                  <p>
                    Current secret expires <strong>{describeDaysLeft(c.current.daysLeft)}</strong> ({date(c.current.expiresOn)}).
                  </p>
                ) : (
                  <p className="text-red-800">No live secret: this client cannot get tokens.</p>
                )}
                {c.health.status === "new_secret_waiting" && c.next ? (
                  <p className="text-sm">
                    A new secret was issued on {date(c.next.createdOn)} and has not been used yet. Move your systems to it by the end of{" "}
                    {c.current ? date(c.current.expiresOn) : "the old one expires"}.
                  </p>
                ) : null}
                {c.health.status === "new_secret_adopted" ? (
                  <p className="text-sm">Your systems are using the new secret. The old one can be revoked early.</p>
                ) : null}
                {c.health.status === "rotate_soon" ? (
                  <p className="text-sm">The current secret is inside its last {organisation.overlapDays} days: issue a new one now.</p>
                ) : null}
              </li>
            );
          })}
        </ul>
        <p>
          <Link className="font-semibold text-brand-700 underline" href={`/orgs/${organisation.slug}/manage/api`}>
            Go to API details
          </Link>
        </p>
      </section>
    </div>
  );
}
