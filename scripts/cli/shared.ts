import { hostname, userInfo } from "node:os";
import type { Command } from "commander";
import type { z } from "zod";
import type { DatabaseHandle } from "@/db/client";
import { FolderLockedError } from "@/db/folder-lock";
import type { Actor, CredentialContext, OrganisationContext, PlatformContext } from "@/lib/context";
import { rotateSecretInput } from "@/lib/credentials/schemas";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { embeddedDataFolder, openConfiguredDatabase } from "@/lib/data/database";
import { findOrganisationOfClient } from "@/lib/data/organisations";
import { env } from "@/lib/env";
import { isDomainError } from "@/lib/errors";
import { findOrganisationOrFail } from "@/lib/organisations/find-organisation";

/*
 * What every command group shares: the CLI's actor and contexts, the database, input parsing with
 * one-line messages, and output (readable by default, exactly one JSON document with --json).
 */

/** A refusal worded for the command line, naming the option to fix. */
export class CliError extends Error {}

function safe(f: () => string): string {
  try {
    return f();
  } catch {
    return "unknown";
  }
}

/** The CLI acts as the platform (lib/context.ts, authorize); the audit trail names who ran it, where. */
export const actor: Actor = { type: "cli", userId: null, label: `CLI (${safe(() => userInfo().username)}@${hostname()})` };

let handle: DatabaseHandle | null = null;

/** The configured database, opened as the server opens it but never seeded with the demo. */
export async function database() {
  if (handle) return handle.db;
  try {
    handle = await openConfiguredDatabase({
      seedDemoWhenEmpty: false,
      log: { info: () => {}, warn: (line) => console.warn(`rotor: warning: ${line}`) },
    });
  } catch (error) {
    if (error instanceof FolderLockedError) {
      const folder = embeddedDataFolder(env().dataDir);
      const pid = /pid (\d+)/.exec(error.message)?.[1];
      throw new CliError(
        `the embedded database ${folder} is open in another process${pid ? ` (pid ${pid})` : ""}: stop the server first, or set DATABASE_URL`,
      );
    }
    throw error;
  }
  return handle.db;
}

export async function platform(): Promise<PlatformContext> {
  return { db: await database(), actor, isOperator: false, clock: () => new Date() };
}

/** The CLI inside the organisation --org names. */
export async function inOrganisation(slug: string): Promise<OrganisationContext> {
  const ctx = await platform();
  return { ...ctx, organisation: await findOrganisationOrFail(ctx.db, slug), role: null };
}

/** The CLI inside the organisation of the client --client names, with the key ring for its credentials. */
export async function forClient(clientId: string): Promise<CredentialContext> {
  const ctx = await platform();
  const parsed = parse(rotateSecretInput.shape.clientId, clientId, { "": "--client" });
  const organisation = await findOrganisationOfClient(ctx.db, parsed);
  if (!organisation) throw new CliError(`--client: there is no client ${parsed}`);
  return { ...ctx, organisation, role: null, keyRing: loadKeyRing(env()) };
}

/** zod parse with a one-line message naming the option. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, flags: Record<string, string> = {}): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // The field's name, not an item's index in a list (--events: the second name, not "--1").
  const key = String(issue.path.findLast((p) => typeof p === "string") ?? "");
  const flag = flags[key] ?? (key ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : "input");
  throw new CliError(`${flag}: ${issue.message}`);
}

function json(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals().json);
}

/** Prints the JSON document with --json, the readable lines otherwise. */
export function emit(cmd: Command, document: unknown, lines: string[]): void {
  if (json(cmd)) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else process.stdout.write(`${lines.join("\n")}\n`);
}

/** A use case's field, as the option that carries it here. */
const FLAG_FOR_FIELD: Record<string, string> = {
  key: "--file",
  kid: "--kid",
  expiresOn: "--expires",
  clientId: "--client",
  secretId: "--secret",
  keyId: "--key",
  jwksUri: "--url",
  org: "--org",
  email: "--email",
  role: "--role",
  slug: "--slug",
  validityDays: "--validity-days",
  audience: "--audience",
  audiences: "--audience",
  defaultAudience: "--default-audience",
  url: "--url",
  eventTypes: "--events",
};

/** A command's body: any refusal becomes one line on stderr and exit code 1; the database is closed either way. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const message =
        error instanceof CliError
          ? error.message
          : isDomainError(error)
            ? `${error.field && FLAG_FOR_FIELD[error.field] ? `${FLAG_FOR_FIELD[error.field]}: ` : ""}${error.message}`
            : `unexpected ${error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error)}`;
      process.stderr.write(`rotor: error: ${message.replace(/\s*\n\s*/g, " ")}\n`);
      process.exitCode = 1;
    } finally {
      await handle?.close();
      handle = null;
    }
  };
}

/** A repeatable, comma- or space-separated option. */
export const list = (value: string, previous: string[] = []) => [...previous, ...value.split(/[\s,]+/).filter(Boolean)];
