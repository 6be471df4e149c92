import type { Command } from "commander";
import { type ClientDto, listOrganisationClients } from "@/lib/data/clients";
import { createClient } from "@/lib/organisations/create-client";
import { createClientInput } from "@/lib/organisations/schemas";
import { action, emit, inOrganisation, list, parse } from "./shared";

/** A client as the CLI prints it: named by its public client ID, its internal id left out. */
export function clientView({ id: _id, ...view }: ClientDto): Omit<ClientDto, "id"> {
  return view;
}

/** `rotor client create|list`: an organisation's OAuth clients. */
export function clientCommands(program: Command): void {
  const client = program.command("client").description("OAuth clients");
  client
    .command("create")
    .description("create a client for an organisation")
    .requiredOption("--org <slug>", "the organisation")
    .requiredOption("--name <name>", "what the client is for")
    .option("--scope <scopes>", "allowed scopes (repeat or comma-separate)", list)
    .option("--audience <uris>", "allowed audiences (repeat or comma-separate)", list)
    .option("--token-ttl <seconds>", "access token lifetime", "3600")
    .option("--legacy-aud", "also accept the token endpoint URL as an assertion's aud", false)
    .option("--rs256", "sign this client's access tokens with RS256 instead of ES256", false)
    .action(
      action(
        async (
          opts: { org: string; name: string; scope?: string[]; audience?: string[]; tokenTtl: string; legacyAud: boolean; rs256: boolean },
          cmd: Command,
        ) => {
          const input = parse(
            createClientInput,
            {
              name: opts.name,
              scopes: opts.scope ?? [],
              audiences: opts.audience ?? [],
              tokenTtlSeconds: opts.tokenTtl,
              legacyAudience: opts.legacyAud,
              accessTokenAlg: opts.rs256 ? "RS256" : "ES256",
            },
            { scopes: "--scope", audiences: "--audience", tokenTtlSeconds: "--token-ttl" },
          );
          const result = await createClient(await inOrganisation(opts.org), input);
          emit(cmd, { organisation: result.organisation.slug, client: clientView(result.client) }, [
            `Created client ${result.client.clientId} "${result.client.name}" for ${result.organisation.name}. It has no secret yet: rotor secret rotate --client ${result.client.clientId}`,
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
}
