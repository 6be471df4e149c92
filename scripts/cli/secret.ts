import type { Command } from "commander";
import { readClientCredentials } from "@/lib/credentials/read-client-credentials";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { revokeSecretInput, rotateSecretInput } from "@/lib/credentials/schemas";
import { action, emit, forClient, parse } from "./shared";

/** `rotor secret rotate|revoke|list`: a client's secrets. A new value appears once, in this output. */
export function secretCommands(program: Command): void {
  const secret = program.command("secret").description("client secrets");
  secret
    .command("rotate")
    .description("issue a new secret; the old one stays accepted for the overlap (never more than two live)")
    .requiredOption("--client <clientId>", "the client")
    .option("--compromised", "revoke every live secret at once instead (the same as --old-secret revoke)", false)
    .option(
      "--old-secret <choice>",
      "how long the old secret keeps working: overlap (default: the end of the overlap from today), unchanged, until (with --old-secret-last-day) or revoke",
    )
    .option("--old-secret-last-day <YYYY-MM-DD>", "with --old-secret until: the old secret's last day, in the organisation's time zone")
    .option("--label <text>", "a name to tell the new secret apart (up to 60 characters)")
    .action(
      action(
        async (
          opts: { client: string; compromised: boolean; oldSecret?: string; oldSecretLastDay?: string; label?: string },
          cmd: Command,
        ) => {
          const ctx = await forClient(opts.client);
          const input = parse(rotateSecretInput, {
            clientId: opts.client,
            compromised: opts.compromised,
            oldSecret: opts.oldSecret,
            oldSecretLastDay: opts.oldSecretLastDay,
            label: opts.label,
          });
          const result = await rotateSecret(ctx, input);
          emit(
            cmd,
            {
              secret: {
                id: result.secret.id,
                value: result.secret.value,
                createdAt: result.secret.createdAt,
                expiresAt: result.secret.expiresAt,
              },
              revokedSecretIds: result.revokedSecretIds,
              previousSecretAcceptedUntil: result.previousSecretAcceptedUntil,
              previousSecretEndsAt: result.previousSecretEndsAt,
            },
            [
              `New secret for ${input.clientId} (shown only now; store it safely):`,
              result.secret.value,
              `id ${result.secret.id}, accepted until ${result.secret.expiresAt.toISOString()}`,
              ...(result.revokedSecretIds.length ? [`Revoked at once: ${result.revokedSecretIds.join(", ")}`] : []),
              ...(result.previousSecretEndsAt
                ? [`The previous secret is accepted until ${result.previousSecretEndsAt.toISOString()}.`]
                : []),
            ],
          );
        },
      ),
    );
  secret
    .command("revoke")
    .description("revoke a secret now (never the last live one)")
    .requiredOption("--client <clientId>", "the client")
    .requiredOption("--secret <id>", "the secret's id (rotor secret list)")
    .option("--reason <text>", "why, for the history (up to 200 characters)")
    .option(
      "--confirm-client-id <clientId>",
      "the client ID again: needed when the secret was used in the last 24 hours and the new one never",
    )
    .action(
      action(async (opts: { client: string; secret: string; reason?: string; confirmClientId?: string }, cmd: Command) => {
        const ctx = await forClient(opts.client);
        const input = parse(
          revokeSecretInput,
          { clientId: opts.client, secretId: opts.secret, reason: opts.reason, confirmClientId: opts.confirmClientId },
          { secretId: "--secret", confirmClientId: "--confirm-client-id", reason: "--reason" },
        );
        const { revokedAt } = await revokeSecret(ctx, input);
        emit(cmd, { revoked: input.secretId, revokedAt }, [`Revoked secret ${input.secretId}.`]);
      }),
    );
  secret
    .command("list")
    .description("list a client's secrets (masked)")
    .requiredOption("--client <clientId>", "the client")
    .action(
      action(async (opts: { client: string }, cmd: Command) => {
        const ctx = await forClient(opts.client);
        const rows = (await readClientCredentials(ctx, opts.client)).secrets;
        emit(
          cmd,
          { secrets: rows },
          rows.length ? rows.map((s) => `${s.id} ${s.maskedValue} ${s.state.padEnd(10)} expires ${s.expiresOn}`) : ["No secrets."],
        );
      }),
    );
}
