import { type Command, Option } from "commander";
import { parseDayList } from "@/lib/credentials/schemas";
import { listOrganisationClients } from "@/lib/data/clients";
import { listPeople } from "@/lib/data/memberships";
import { listOrganisations, type OrganisationDto } from "@/lib/data/organisations";
import { createOrganisation } from "@/lib/organisations/create-organisation";
import { createOrganisationInput, slugField } from "@/lib/organisations/schemas";
import { action, CliError, database, emit, inOrganisation, parse, platform } from "./shared";

/** An organisation as the CLI prints it: named by its slug, its internal id left out. */
export interface OrganisationView {
  slug: string;
  name: string;
  timeZone: string;
  locale: string;
  validityDays: number;
  overlapDays: number;
  reminderOffsets: number[];
  autoIssue: boolean;
  secretRevealPolicy: "reveal" | "show_once";
}

export function organisationView({ id: _id, ...view }: OrganisationDto): OrganisationView {
  return view;
}

/** `rotor org create|list|show`: onboarding organisations with their rotation policy. */
export function orgCommands(program: Command): void {
  const org = program.command("org").description("organisations");
  org
    .command("create")
    .description("onboard an organisation with its rotation policy")
    .requiredOption("--name <name>", "the organisation's name")
    .requiredOption("--time-zone <zone>", "IANA time zone for calendar days, e.g. Europe/London")
    .option("--slug <slug>", "URL name (default: from the name)")
    .option("--locale <locale>", "date format locale", "en-GB")
    .option("--validity-days <days>", "secret validity in calendar days", "180")
    .option("--overlap-days <days>", "days both secrets are accepted", "30")
    .option("--reminders <days>", "reminder days before expiry, comma-separated", "30,20,10,5,3,0")
    .option("--auto-issue", "issue the next secret automatically when the overlap begins", false)
    .addOption(new Option("--reveal", "admins may reveal live secrets again (default)").conflicts("showOnce"))
    .addOption(new Option("--show-once", "secrets are shown once, at creation").conflicts("reveal"))
    .action(
      action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
        const reminders = parseDayList(String(opts.reminders));
        if (typeof reminders === "string") throw new CliError(`--reminders: ${reminders}`);
        const input = parse(
          createOrganisationInput,
          {
            name: opts.name,
            slug: opts.slug,
            timeZone: opts.timeZone,
            locale: opts.locale,
            policy: {
              validityDays: opts.validityDays,
              overlapDays: opts.overlapDays,
              reminderOffsets: reminders,
              autoIssue: Boolean(opts.autoIssue),
              secretRevealPolicy: opts.showOnce ? "show_once" : "reveal",
            },
          },
          { reminderOffsets: "--reminders", secretRevealPolicy: "--reveal/--show-once" },
        );
        const created = await createOrganisation(await platform(), input);
        emit(cmd, { organisation: organisationView(created) }, [
          `Created ${created.name} (${created.slug}), ${created.timeZone}: secrets valid ${created.validityDays} days, ${created.overlapDays}-day overlap, reminders ${created.reminderOffsets.join(", ")}, ${created.autoIssue ? "auto-issue" : "manual rotation"}, ${created.secretRevealPolicy === "reveal" ? "reveal allowed" : "show once"}.`,
        ]);
      }),
    );
  org
    .command("list")
    .description("list organisations")
    .action(
      action(async (_opts: object, cmd: Command) => {
        const rows = await listOrganisations(await database());
        emit(
          cmd,
          { organisations: rows.map(organisationView) },
          rows.length ? rows.map((o) => `${o.slug.padEnd(24)} ${o.name} (${o.timeZone})`) : ["No organisations yet: rotor org create ..."],
        );
      }),
    );
  org
    .command("show")
    .description("show an organisation, its people and clients")
    .requiredOption("--org <slug>", "the organisation")
    .action(
      action(async (opts: { org: string }, cmd: Command) => {
        const { db, organisation } = await inOrganisation(parse(slugField, opts.org, { "": "--org" }));
        const people = await listPeople(db, organisation.id);
        const clients = (await listOrganisationClients(db, organisation.id)).map((c) => ({ clientId: c.clientId, name: c.name }));
        emit(cmd, { organisation: organisationView(organisation), members: people, clients }, [
          `${organisation.name} (${organisation.slug}), ${organisation.timeZone}`,
          `Policy: ${organisation.validityDays} days, ${organisation.overlapDays}-day overlap, reminders ${organisation.reminderOffsets.join(", ")}, ${organisation.autoIssue ? "auto-issue" : "manual"}, ${organisation.secretRevealPolicy}`,
          `Members: ${people.map((p) => `${p.email} (${p.role}${p.status === "active" ? "" : ", de-activated"})`).join("; ") || "none"}`,
          `Clients: ${clients.map((c) => `${c.clientId} ${c.name}`).join("; ") || "none"}`,
        ]);
      }),
    );
}
