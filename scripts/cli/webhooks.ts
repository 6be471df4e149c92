import type { Command } from "commander";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import type { EndpointSummary, WebhookEndpointRow } from "@/lib/data/webhooks";
import { env } from "@/lib/env";
import { slugField } from "@/lib/organisations/schemas";
import { createEndpoint } from "@/lib/webhooks/create-endpoint";
import { deleteEndpoint } from "@/lib/webhooks/delete-endpoint";
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { webhookLimits } from "@/lib/webhooks/policy";
import { readEndpoints } from "@/lib/webhooks/read-endpoints";
import { endpointFields, endpointIdField } from "@/lib/webhooks/schemas";
import type { WebhookContext } from "@/lib/webhooks/webhook-context";
import { action, CliError, emit, inOrganisation, list, parse, platform } from "./shared";

/**
 * The CLI's webhook context: inside the organisation --org names, or (without it) the platform,
 * whose endpoints are told about every organisation. Acting as the platform either way
 * (lib/context.ts): the same use cases, refusals and audit events as the portal's.
 */
async function webhookContext(org: string | undefined): Promise<WebhookContext> {
  const e = env();
  const ctx = org === undefined ? await platform() : await inOrganisation(parse(slugField, org, { "": "--org" }));
  return { ...ctx, keyRing: loadKeyRing(e), limits: webhookLimits(e) };
}

const whose = (ctx: WebhookContext) => ("organisation" in ctx ? ctx.organisation.name : "the platform (every organisation's events)");

/** An endpoint as the CLI prints it: its organisation by slug, no internal ids but its own. */
export function endpointView(endpoint: WebhookEndpointRow, organisation: string | null) {
  return {
    id: endpoint.id,
    organisation,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    createdAt: endpoint.createdAt,
    disabledAt: endpoint.disabledAt,
    disabledReason: endpoint.disabledReason,
  };
}

function summaryView(endpoint: EndpointSummary, organisation: string | null) {
  return {
    ...endpointView(endpoint, organisation),
    secretTail: endpoint.secretTail,
    pending: endpoint.pending,
    dead: endpoint.dead,
    lastDeliveredAt: endpoint.lastDeliveredAt,
  };
}

/** The events asked for, each a name Rotor sends: an unknown one is named, with the choices. */
function eventsOption(events: string[] | undefined): string[] {
  const unknown = (events ?? []).find((name) => !isWebhookEventType(name));
  if (unknown !== undefined) {
    throw new CliError(`--events: ${unknown} is not an event Rotor sends; choose among ${WEBHOOK_EVENT_TYPES.join(", ")}`);
  }
  return events ?? [];
}

const ORG_OPTION = "the organisation whose endpoints these are (default: the platform's, told about every organisation)";

/** `rotor webhooks add|list|remove`: endpoints Rotor tells of credential changes (docs/webhooks.md). */
export function webhookCommands(program: Command): void {
  const webhooks = program.command("webhooks").description("webhook endpoints, told of credential changes");
  webhooks
    .command("add")
    .description("register an endpoint for some events; its signing secret is printed once, here")
    .requiredOption("--url <url>", "where Rotor sends the events (https://…)")
    .requiredOption("--events <types>", `the events to send (repeat or comma-separate): ${WEBHOOK_EVENT_TYPES.join(", ")}`, list)
    .option("--org <slug>", ORG_OPTION)
    .option("--description <text>", "what the endpoint is for (up to 200 characters)")
    .action(
      action(async (opts: { url: string; events?: string[]; org?: string; description?: string }, cmd: Command) => {
        const input = parse(
          endpointFields,
          { url: opts.url, description: opts.description, eventTypes: eventsOption(opts.events) },
          { url: "--url", description: "--description", eventTypes: "--events" },
        );
        const ctx = await webhookContext(opts.org);
        const { endpoint, signingSecret } = await createEndpoint(ctx, input);
        const organisation = "organisation" in ctx ? ctx.organisation.slug : null;
        emit(cmd, { endpoint: endpointView(endpoint, organisation), signingSecret }, [
          `Registered webhook endpoint ${endpoint.id} for ${whose(ctx)}: ${endpoint.url}`,
          `events: ${endpoint.eventTypes.join(", ")}`,
          "Signing secret (shown only now; the receiver verifies each request with it):",
          signingSecret,
        ]);
      }),
    );
  webhooks
    .command("list")
    .description("list the endpoints, with what waits for each")
    .option("--org <slug>", ORG_OPTION)
    .action(
      action(async (opts: { org?: string }, cmd: Command) => {
        const ctx = await webhookContext(opts.org);
        const rows = await readEndpoints(ctx);
        const organisation = "organisation" in ctx ? ctx.organisation.slug : null;
        emit(
          cmd,
          { endpoints: rows.map((e) => summaryView(e, organisation)) },
          rows.length
            ? rows.map(
                (e) =>
                  `${e.id} ${e.url} ${e.disabledAt ? `off since ${e.disabledAt.toISOString()} (${e.disabledReason})` : "on"}; ${e.eventTypes.join(",")}; ${e.pending} waiting, ${e.dead} given up`,
              )
            : [`${"organisation" in ctx ? ctx.organisation.name : "The platform"} has no webhook endpoints.`],
        );
      }),
    );
  webhooks
    .command("remove")
    .description("delete an endpoint with its signing secrets and deliveries: nothing more is sent to it")
    .argument("<endpoint-id>", "the endpoint (rotor webhooks list)")
    .option("--org <slug>", ORG_OPTION)
    .action(
      action(async (endpointId: string, opts: { org?: string }, cmd: Command) => {
        const id = parse(endpointIdField, endpointId, { "": "<endpoint-id>" });
        const ctx = await webhookContext(opts.org);
        const { url } = await deleteEndpoint(ctx, { endpointId: id });
        emit(cmd, { removed: { id, url } }, [`Removed webhook endpoint ${id} (${url}): nothing more is sent to it.`]);
      }),
    );
}
