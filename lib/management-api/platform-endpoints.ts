import { platformAuditQueryParams } from "@/lib/audit/schemas";
import { searchPlatformAuditEvents } from "@/lib/audit/search-audit-events";
import { disableClient } from "@/lib/clients/disable-client";
import { enableClient } from "@/lib/clients/enable-client";
import { listClientsOfOrganisation, readClientOfOrganisation } from "@/lib/clients/read-clients";
import { clientSwitchInput, updateClientSettingsInput } from "@/lib/clients/schemas";
import { updateClientSettings } from "@/lib/clients/update-client-settings";
import type { OrganisationContext } from "@/lib/context";
import { clientSettingsView } from "@/lib/data/client-credentials";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { DomainError } from "@/lib/errors";
import { createClient } from "@/lib/organisations/create-client";
import { createClientInput } from "@/lib/organisations/schemas";
import { clientSettingsBody, createClientBody } from "./dto";
import { type PlatformRequest, platformRoute } from "./handler";

/*
 * The platform operator's endpoints (docs/domain.md, "Clients" and "The management API"): an
 * organisation's clients created, read, configured, disabled and enabled with a platform token,
 * through the same use cases and schemas as Platform > Clients and `rotor client`; and the audit
 * log across organisations, as Platform > Audit log reads it. Mounted by the route files under
 * app/api/v1/organisations and app/api/v1/platform.
 */

/** The organisation the path names, as the operator acting in it, with no role there. */
async function inOrganisation({ ctx, params }: PlatformRequest<unknown>): Promise<OrganisationContext> {
  const slug = params.organisation ?? "";
  // From a URL path: a slug that cannot exist is not looked up (a NUL byte would fail the query).
  const organisation = /^[a-z0-9-]{1,100}$/.test(slug) ? await findOrganisationBySlug(ctx.db, slug) : null;
  if (!organisation) throw new DomainError("not_found", noOrganisation(slug));
  return { ...ctx, organisation, role: null };
}

/** The refusal's words, the slug as sent but only printable (it comes from the request). */
const noOrganisation = (slug: string) => `There is no organisation ${slug.replace(/[^\x20-\x7e]/g, "?")}.`;

export const listOrganisationClientsEndpoint = platformRoute({}, async (request) => ({
  status: 200,
  body: { clients: (await listClientsOfOrganisation(await inOrganisation(request))).map(clientSettingsView) },
}));

export const createClientEndpoint = platformRoute({ body: createClientBody, idempotent: true }, async (request) => {
  const input = createClientInput.parse(request.body);
  const { client } = await createClient(await inOrganisation(request), input);
  return { status: 201, body: clientSettingsView(client) };
});

export const readClientEndpoint = platformRoute({}, async (request) => ({
  status: 200,
  body: clientSettingsView(await readClientOfOrganisation(await inOrganisation(request), request.params.clientId ?? "")),
}));

/** PATCH: only the settings sent change (RFC 5789); the rest stay as they are. */
export const updateClientSettingsEndpoint = platformRoute({ body: clientSettingsBody, idempotent: true }, async (request) => {
  const ctx = await inOrganisation(request);
  const current = await readClientOfOrganisation(ctx, request.params.clientId ?? "");
  const input = updateClientSettingsInput.parse({ ...request.body, clientId: current.clientId });
  return { status: 200, body: clientSettingsView(await updateClientSettings(ctx, input)) };
});

export const disableClientEndpoint = platformRoute({ idempotent: true }, async (request) => {
  const ctx = await inOrganisation(request);
  const input = clientSwitchInput.parse({ clientId: (await readClientOfOrganisation(ctx, request.params.clientId ?? "")).clientId });
  return { status: 200, body: clientSettingsView(await disableClient(ctx, input)) };
});

export const enableClientEndpoint = platformRoute({ idempotent: true }, async (request) => {
  const ctx = await inOrganisation(request);
  const input = clientSwitchInput.parse({ clientId: (await readClientOfOrganisation(ctx, request.params.clientId ?? "")).clientId });
  return { status: 200, body: clientSettingsView(await enableClient(ctx, input)) };
});

/**
 * Every organisation's audit log, or one's (`organisation`, a slug), filtered and a page at a time
 * (docs/domain.md, "The audit log"): the organisation's endpoint's parameters and cursor
 * (GET /api/v1/audit-events), each validated, a bad one a 422 naming it; an organisation that
 * does not exist is a bad value of its parameter, not an empty page.
 */
export const listPlatformAuditEventsEndpoint = platformRoute({}, async ({ ctx, url }) => {
  const { organisation: slug, ...input } = platformAuditQueryParams.parse(Object.fromEntries(url.searchParams));
  const organisation = slug === undefined ? undefined : await findOrganisationBySlug(ctx.db, slug);
  if (organisation === null) throw new DomainError("invalid", noOrganisation(slug ?? ""), "organisation");
  const { events, nextCursor } = await searchPlatformAuditEvents(ctx, { ...input, organisationId: organisation?.id });
  return { status: 200, body: { events, nextCursor } };
});
