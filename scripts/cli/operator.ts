import type { Command } from "commander";
import { listOperators } from "@/lib/data/users";
import { addOperator } from "@/lib/organisations/add-operator";
import { emailField } from "@/lib/organisations/schemas";
import { action, database, emit, parse, platform } from "./shared";

/** `rotor operator add|list`: platform operators, the bootstrap of a new deployment. */
export function operatorCommands(program: Command): void {
  const operator = program.command("operator").description("platform operators");
  operator
    .command("add")
    .description("make a person a platform operator (the bootstrap of a new deployment)")
    .requiredOption("--email <email>", "their e-mail address (they sign in with it)")
    .option("--name <name>", "their name")
    .action(
      action(async (opts: { email: string; name?: string }, cmd: Command) => {
        const email = parse(emailField, opts.email, { "": "--email" });
        const user = await addOperator(await platform(), { email, name: opts.name });
        emit(cmd, { operator: { id: user.id, email: user.email } }, [`${email} is now a platform operator.`]);
      }),
    );
  operator
    .command("list")
    .description("list platform operators")
    .action(
      action(async (_opts: object, cmd: Command) => {
        const rows = await listOperators(await database());
        emit(
          cmd,
          { operators: rows },
          rows.length
            ? rows.map((r) => `${r.email}${r.name ? ` (${r.name})` : ""}`)
            : ["No platform operators yet: rotor operator add --email ..."],
        );
      }),
    );
}
