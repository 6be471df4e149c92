import { type Command, Option } from "commander";
import { deactivateUser } from "@/lib/organisations/deactivate-user";
import { inviteUser } from "@/lib/organisations/invite-user";
import { deactivateUserInput, inviteUserInput } from "@/lib/organisations/schemas";
import { action, emit, inOrganisation, parse } from "./shared";

/** `rotor user invite|deactivate`: the people of an organisation, by e-mail. */
export function userCommands(program: Command): void {
  const user = program.command("user").description("people of an organisation");
  user
    .command("invite")
    .description("invite a person into an organisation with a role")
    .requiredOption("--org <slug>", "the organisation")
    .requiredOption("--email <email>", "their e-mail address")
    .addOption(new Option("--role <role>", "their role").choices(["admin", "spoc", "member"]).makeOptionMandatory())
    .option("--name <name>", "their name")
    .action(
      action(async (opts: { org: string; email: string; role: string; name?: string }, cmd: Command) => {
        const input = parse(inviteUserInput, { email: opts.email, role: opts.role, name: opts.name });
        const result = await inviteUser(await inOrganisation(opts.org), input);
        emit(cmd, { organisation: result.organisation.slug, user: { id: result.user.id, email: result.user.email }, role: input.role }, [
          `${input.email} is now ${input.role === "spoc" ? "the designated user" : `a${input.role === "admin" ? "n admin" : " member"}`} of ${result.organisation.name}.`,
        ]);
      }),
    );
  user
    .command("deactivate")
    .description("de-activate a person: their sessions and API tokens end at once")
    .requiredOption("--org <slug>", "the organisation")
    .requiredOption("--email <email>", "their e-mail address")
    .action(
      action(async (opts: { org: string; email: string }, cmd: Command) => {
        const { email } = parse(deactivateUserInput, { email: opts.email });
        const ctx = await inOrganisation(opts.org);
        await deactivateUser(ctx, { email });
        emit(cmd, { organisation: ctx.organisation.slug, deactivated: email }, [`${email} is de-activated in ${ctx.organisation.name}.`]);
      }),
    );
}
