import type { Executor } from "@/db/client";
import { findOrganisationById } from "@/lib/data/organisations";
import { getPlatformSettings } from "@/lib/data/platform";
import { activeMembersOf, enqueueMail } from "@/lib/data/scheduler";
import { listOperators } from "@/lib/data/users";
import { findEndpointById } from "@/lib/data/webhooks";
import type { WebhookDisabledData } from "@/lib/email/render";
import { recipientsByOrganisation } from "@/lib/scheduler/notices";
import { displayUrl } from "./display-url";
import { endpointPath } from "./paths";

/**
 * Tells the people who manage an endpoint that it was turned off for failing: an organisation's
 * admins and designated user (the roles told about its credentials), or, for a platform-wide
 * endpoint, the operators. Enqueued in the transaction that turned it off, so it goes out once.
 */
export async function tellOwnersEndpointDisabled(
  tx: Executor,
  endpointId: string,
  streak: { consecutiveFailures: number; failingSince: Date; reason: string; at: Date },
): Promise<void> {
  const endpoint = await findEndpointById(tx, endpointId);
  if (!endpoint) return;
  const organisation = endpoint.organisationId ? await findOrganisationById(tx, endpoint.organisationId) : null;
  const to = organisation
    ? (recipientsByOrganisation(await activeMembersOf(tx, [organisation.id])).get(organisation.id) ?? [])
    : (await listOperators(tx)).flatMap((o) => (o.email ? [o.email] : []));
  if (to.length === 0) return;
  const data: WebhookDisabledData = {
    owner: organisation ? organisation.name : `${(await getPlatformSettings(tx)).serviceName} (platform-wide)`,
    path: endpointPath(organisation?.slug ?? null, endpoint.id),
    url: displayUrl(endpoint.url),
    failures: streak.consecutiveFailures,
    reason: streak.reason,
    failingSince: streak.failingSince.toISOString(),
    locale: organisation?.locale ?? "en-GB",
    timeZone: organisation?.timeZone ?? "Europe/London",
  };
  await enqueueMail(tx, [
    {
      organisationId: organisation?.id ?? null,
      kind: "webhook_disabled",
      toAddresses: to,
      subject: `Rotor stopped sending webhooks to ${new URL(endpoint.url).host}`,
      template: "webhook-disabled",
      data: data as unknown as Record<string, unknown>,
      createdAt: streak.at,
      nextAttemptAt: streak.at,
    },
  ]);
}
