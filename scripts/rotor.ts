/**
 * `npm run rotor -- <command>` (or the `rotor` bin): the operator's command line. It bootstraps a
 * deployment and scripts organisations, clients, secrets and keys through the very use cases the
 * portal and the management API call, validated by the same zod schemas. Readable output by
 * default, exactly one JSON document with --json, a one-line error and a non-zero exit on bad
 * input. A new secret appears once, in this command's output, and nowhere else. One file per
 * command group under scripts/cli/; what they share is scripts/cli/shared.ts.
 */
import { Command } from "commander";
import { logToStandardError } from "@/lib/log/logger";
import { clientCommands } from "./cli/client";
import { cronCommands } from "./cli/cron";
import { keyCommands } from "./cli/key";
import { operatorCommands } from "./cli/operator";
import { orgCommands } from "./cli/org";
import { secretCommands } from "./cli/secret";
import { userCommands } from "./cli/user";
import { webhookCommands } from "./cli/webhooks";

// The use cases' operational lines (pino JSON) go to stderr; stdout is the command's answer.
logToStandardError();

const program = new Command("rotor")
  .description("Rotor's operator command line: bootstrap a deployment, script organisations, clients, secrets, keys and webhooks.")
  .option("--json", "print exactly one JSON document instead of a readable summary")
  .showHelpAfterError("(add --help for usage)");

for (const group of [
  operatorCommands,
  orgCommands,
  userCommands,
  clientCommands,
  secretCommands,
  keyCommands,
  webhookCommands,
  cronCommands,
])
  group(program);

await program.parseAsync(process.argv);
