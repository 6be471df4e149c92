import type { Command } from "commander";
import { disableClient } from "@/lib/clients/disable-client";
import { enableClient } from "@/lib/clients/enable-client";
import { clientSwitchInput, updateClientSettingsInput } from "@/lib/clients/schemas";
import { updateClientSettings } from "@/lib/clients/update-client-settings";
import { type ClientDto, listOrganisationClients } from "@/lib/data/clients";
import { createClient } from "@/lib/organisations/create-client";
import { createClientInput } from "@/lib/organisations/schemas";
import { action, CliError, emit, forClient, inOrganisation, list, parse } from "./shared";

/** A client as the CLI prints it: named by its public client ID, its internal id left out. */
export function clientView({ id: _id, ...view }: ClientDto): Omit<ClientDto, "id"> {
  return view;
}

/** What a client's settings read like on one line each. */
function settingsLines(c: ClientDto): string[] {
  return [
    `scopes: ${c.allowedScopes.join(" ") || "(none)"}`,
    `audiences: ${c.allowedAudiences.join(", ") || "(none: the platform's own API)"}`,
    `default audience: ${c.defaultAudience ?? "the platform's own API (<issuer>/api/v1)"}`,
    `access tokens: ${c.accessTokenTtlSeconds} s, ${c.accessTokenAlg}; legacy aud ${c.legacyAudience ? "on" : "off"}`,
    c.disabledAt ? `disabled since ${c.disabledAt.toISOString()}` : "enabled",
  ];
}

const onOff = (value: string | undefined): boolean | undefined => {
  if (value === undefined) return undefined;
  if (value === "on") return true;
  if (value === "off") return false;
  throw new CliError("--legacy-aud: say on or off");
};

/** `rotor client create|list|update|disable|enable`: an organisation's OAuth clients. */
export function clientCommands(program: Command): void {
  const client = program.command("client").description("OAuth clients");
  client
    .command("create")
    .description("create a client for an organisation")
    .requiredOption("--org <slug>", "the organisation")
    .requiredOption("--name <name>", "what the client is for")
    .option("--scope <scopes>", "allowed scopes (repeat or comma-separate)", list)
    .option("--audience <uris>", "allowed audiences (repeat or comma-separate)", list)
    .option(
      "--default-audience <uri>",
      "the audience of a token request that names none: one of --audience (needed when there are several)",
    )
    .option("--token-ttl <seconds>", "access token lifetime", "3600")
    .option("--legacy-aud", "also accept the token endpoint URL as an assertion's aud", false)
    .option("--rs256", "sign this client's access tokens with RS256 instead of ES256", false)
    .action(
      action(
        async (
          opts: {
            org: string;
            name: string;
            scope?: string[];
            audience?: string[];
            defaultAudience?: string;
            tokenTtl: string;
            legacyAud: boolean;
            rs256: boolean;
          },
          cmd: Command,
        ) => {
          const input = parse(
            createClientInput,
            {
              name: opts.name,
              scopes: opts.scope ?? [],
              audiences: opts.audience ?? [],
              defaultAudience: opts.defaultAudience,
              tokenTtlSeconds: opts.tokenTtl,
              legacyAudience: opts.legacyAud,
              accessTokenAlg: opts.rs256 ? "RS256" : "ES256",
            },
            { scopes: "--scope", audiences: "--audience", defaultAudience: "--default-audience", tokenTtlSeconds: "--token-ttl" },
          );
          const result = await createClient(await inOrganisation(opts.org), input);
          emit(cmd, { organisation: result.organisation.slug, client: clientView(result.client) }, [
            `Created client ${result.client.clientId} "${result.client.name}" for ${result.organisation.name}. It has no secret yet: rotor secret rotate --client ${result.client.clientId}`,
            ...settingsLines(result.client),
          ]);
        },
      ),
    );
  client
    .command("list")
    .description("list an organisation's clients")
    .requiredOption("--org <slug>", "the organisation")
    .action(
      action(async (opts: { org: string }, cmd: Command) => {
        const { db, organisation } = await inOrganisation(opts.org);
        const rows = await listOrganisationClients(db, organisation.id);
        emit(
          cmd,
          { clients: rows.map(clientView) },
          rows.length ? rows.map((c) => `${c.clientId} ${c.name}`) : [`${organisation.name} has no clients yet.`],
        );
      }),
    );
  client
    .command("update")
    .description("change a client's settings; an option left out stays as it is")
    .argument("<clientId>", "the client")
    .option("--scope <scopes>", "the allowed scopes, replacing the current ones (repeat or comma-separate)", list)
    .option("--audience <uris>", "the allowed audiences, replacing the current ones (repeat or comma-separate)", list)
    .option("--default-audience <uri>", "the audience of a token request that names none: one of the client's audiences")
    .option("--token-lifetime <seconds>", "access token lifetime, 60 to 86400")
    .option("--alg <alg>", "access token signing algorithm: ES256 or RS256")
    .option("--legacy-aud <on|off>", "also accept the token endpoint URL as an assertion's aud")
    .action(
      action(
        async (
          clientId: string,
          opts: {
            scope?: string[];
            audience?: string[];
            defaultAudience?: string;
            tokenLifetime?: string;
            alg?: string;
            legacyAud?: string;
          },
          cmd: Command,
        ) => {
          const input = parse(
            updateClientSettingsInput,
            {
              clientId,
              scopes: opts.scope,
              audiences: opts.audience,
              defaultAudience: opts.defaultAudience,
              tokenTtlSeconds: opts.tokenLifetime,
              accessTokenAlg: opts.alg,
              legacyAudience: onOff(opts.legacyAud),
            },
            {
              clientId: "<clientId>",
              scopes: "--scope",
              audiences: "--audience",
              defaultAudience: "--default-audience",
              tokenTtlSeconds: "--token-lifetime",
              accessTokenAlg: "--alg",
              legacyAudience: "--legacy-aud",
            },
          );
          const updated = await updateClientSettings(await forClient(input.clientId), input);
          emit(cmd, { client: clientView(updated) }, [`Client ${updated.clientId} "${updated.name}":`, ...settingsLines(updated)]);
        },
      ),
    );
  for (const [verb, useCase, description] of [
    ["disable", disableClient, "refuse the client's token requests (invalid_client) until it is enabled again"],
    ["enable", enableClient, "accept the client's token requests again"],
  ] as const) {
    client
      .command(verb)
      .description(description)
      .argument("<clientId>", "the client")
      .action(
        action(async (clientId: string, _opts: unknown, cmd: Command) => {
          const input = parse(clientSwitchInput, { clientId }, { clientId: "<clientId>" });
          const updated = await useCase(await forClient(input.clientId), input);
          emit(cmd, { client: clientView(updated) }, [
            updated.disabledAt
              ? `Disabled client ${updated.clientId} since ${updated.disabledAt.toISOString()}: the token endpoint answers invalid_client.`
              : `Enabled client ${updated.clientId}: its live secrets and keys work again.`,
          ]);
        }),
      );
  }
}
