import type { Command } from "commander";
import { createPlatformApiToken } from "@/lib/api-tokens/api-tokens";
import { createPlatformApiTokenInput, TOKEN_LIFETIMES } from "@/lib/api-tokens/schemas";
import { findUserByEmail, listOperators } from "@/lib/data/users";
import { addOperator } from "@/lib/organisations/add-operator";
import { removeOperator } from "@/lib/organisations/remove-operator";
import { emailField } from "@/lib/organisations/schemas";
import { action, CliError, database, emit, parse, platform } from "./shared";

/**
 * `rotor operator add|remove|list|token`: platform operators, the bootstrap of a new deployment,
 * and their tokens for the management API's operator endpoints (docs/domain.md, "The management API").
 */
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
  operator
    .command("remove")
    .description("end a person's place among the platform operators; their platform API tokens end with it")
    .requiredOption("--email <email>", "their e-mail address")
    .action(
      action(async (opts: { email: string }, cmd: Command) => {
        const email = parse(emailField, opts.email, { "": "--email" });
        const { apiTokensRevoked } = await removeOperator(await platform(), { email });
        emit(cmd, { removed: { email, apiTokensRevoked } }, [
          `${email} is no longer a platform operator${apiTokensRevoked ? `; ${apiTokensRevoked} API token(s) revoked` : ""}.`,
        ]);
      }),
    );
  operator
    .command("token")
    .description("create a platform API token for an operator (the management API's operator endpoints); printed once")
    .requiredOption("--email <email>", "the operator the token acts as")
    .requiredOption("--name <name>", "the system that will use it")
    .option("--days <days>", `days until it expires: ${TOKEN_LIFETIMES.join(", ")}`, "30")
    .action(
      action(async (opts: { email: string; name: string; days: string }, cmd: Command) => {
        const email = parse(emailField, opts.email, { "": "--email" });
        const input = parse(createPlatformApiTokenInput, { name: opts.name, expiresInDays: opts.days }, { expiresInDays: "--days" });
        const ctx = await platform();
        const owner = await findUserByEmail(ctx.db, email);
        if (!owner) throw new CliError(`--email: ${email} is not a platform operator`);
        const token = await createPlatformApiToken(ctx, { ...input, ownerUserId: owner.id });
        emit(cmd, { token: { id: token.id, value: token.value, scope: "platform", expiresAt: token.expiresAt.toISOString() } }, [
          token.value,
          `Platform API token for ${email}, expires ${token.expiresAt.toISOString()}. Shown only now: store it in your secret manager.`,
        ]);
      }),
    );
}
