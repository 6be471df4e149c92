import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { readClientCredentials } from "@/lib/credentials/read-client-credentials";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { registerKeyInput, revokeKeyInput, setJwksUriInput } from "@/lib/credentials/schemas";
import { setJwksUri } from "@/lib/credentials/set-jwks-uri";
import { describeKeyType } from "@/lib/format";
import { action, CliError, emit, forClient, parse } from "./shared";

/** A public key file is small; a large one is not a public key, and is not read whole. */
function readKeyFile(file: string): string {
  try {
    if (statSync(file).size > 20_000) throw new CliError(`--file: ${file} is far too large for a public key`);
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`--file: cannot read ${file}`);
  }
}

/** `rotor key add|revoke|list|jwks-url`: a client's public keys for private_key_jwt, registered or published. */
export function keyCommands(program: Command): void {
  const key = program.command("key").description("public keys for private_key_jwt");
  key
    .command("add")
    .description("register a public key: RSA of 2048 to 4096 bits, or EC on P-256 for ES256 (at most two active)")
    .requiredOption("--client <clientId>", "the client")
    .requiredOption("--file <path>", "the public key, PEM or JWK")
    .option("--kid <kid>", "key id (default: RFC 7638 thumbprint)")
    .option("--expires <YYYY-MM-DD>", "last day the key is accepted")
    .option("--label <text>", "a name to tell keys apart (up to 60 characters)")
    .action(
      action(async (opts: { client: string; file: string; kid?: string; expires?: string; label?: string }, cmd: Command) => {
        const text = readKeyFile(opts.file);
        const ctx = await forClient(opts.client);
        const input = parse(
          registerKeyInput,
          { clientId: opts.client, key: text, kid: opts.kid, expiresOn: opts.expires, label: opts.label },
          { key: "--file", expiresOn: "--expires" },
        );
        const registered = await registerPublicKey(ctx, input);
        emit(cmd, { key: registered }, [
          `Registered key ${registered.kid} (${describeKeyType(registered.type, registered.bits)}) for ${input.clientId}.`,
        ]);
      }),
    );
  key
    .command("revoke")
    .description("revoke a public key now")
    .requiredOption("--client <clientId>", "the client")
    .requiredOption("--key <id>", "the key's id (rotor key list)")
    .action(
      action(async (opts: { client: string; key: string }, cmd: Command) => {
        const ctx = await forClient(opts.client);
        const input = parse(revokeKeyInput, { clientId: opts.client, keyId: opts.key }, { keyId: "--key" });
        const { revokedAt } = await revokePublicKey(ctx, input);
        emit(cmd, { revoked: input.keyId, revokedAt }, [`Revoked key ${input.keyId}.`]);
      }),
    );
  key
    .command("list")
    .description("list a client's public keys")
    .requiredOption("--client <clientId>", "the client")
    .action(
      action(async (opts: { client: string }, cmd: Command) => {
        const ctx = await forClient(opts.client);
        const rows = (await readClientCredentials(ctx, opts.client)).keys;
        emit(
          cmd,
          { keys: rows },
          rows.length ? rows.map((k) => `${k.id} ${k.kid} ${describeKeyType(k.type, k.bits)} ${k.state}`) : ["No keys."],
        );
      }),
    );
  key
    .command("jwks-url")
    .description("set or remove where the client publishes its public keys as a JWK Set (https)")
    .requiredOption("--client <clientId>", "the client")
    .option("--url <url>", "the JWKS URL")
    .option("--remove", "stop using a JWKS URL; only registered keys are accepted")
    .action(
      action(async (opts: { client: string; url?: string; remove?: boolean }, cmd: Command) => {
        if (Boolean(opts.url) === Boolean(opts.remove)) throw new CliError("Give either --url <url> or --remove.");
        const ctx = await forClient(opts.client);
        const input = parse(setJwksUriInput, { clientId: opts.client, jwksUri: opts.remove ? null : opts.url }, { jwksUri: "--url" });
        const { jwksUri } = await setJwksUri(ctx, input);
        emit(cmd, { jwksUri }, [
          jwksUri ? `${input.clientId} publishes its keys at ${jwksUri}.` : `${input.clientId} no longer uses a JWKS URL.`,
        ]);
      }),
    );
}
