/**
 * `npm run rotor -- <command>` (or the `rotor` bin): the operator's command line. It bootstraps a
 * deployment and scripts organisations, clients, secrets and keys through the very use cases the
 * portal and the management API call, validated by the same zod schemas. Readable output by
 * default, exactly one JSON document with --json, a one-line error and a non-zero exit on bad
 * input. A new secret appears once, in this command's output, and nowhere else.
 */
import { readFileSync, statSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { Command, Option } from "commander";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { FolderLockedError } from "@/db/folder-lock";
import { memberships, oauthClients, organisations, platformOperators, users } from "@/db/schema";
import type { Actor, CredentialContext, OrganisationContext, PlatformContext } from "@/lib/context";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { parseDayList, registerKeyInput, revokeKeyInput, revokeSecretInput, rotateSecretInput } from "@/lib/credentials/schemas";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getClientCredentials } from "@/lib/data/client-credentials";
import { describeDataMigrations, migrateDatabase } from "@/lib/data/data-migrations";
import { embeddedDataFolder } from "@/lib/data/database";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { env } from "@/lib/env";
import { isDomainError } from "@/lib/errors";
import { addOperator } from "@/lib/organisations/add-operator";
import { createClient } from "@/lib/organisations/create-client";
import { createOrganisation } from "@/lib/organisations/create-organisation";
import { deactivateUser } from "@/lib/organisations/deactivate-user";
import { findOrganisationOrFail } from "@/lib/organisations/find-organisation";
import { inviteUser } from "@/lib/organisations/invite-user";
import {
  createClientInput,
  createOrganisationInput,
  deactivateUserInput,
  emailField,
  inviteUserInput,
  slugField,
} from "@/lib/organisations/schemas";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { mailTransport } from "@/lib/scheduler/runtime";

// --- plumbing -------------------------------------------------------------------------------------

class CliError extends Error {}

const actor: Actor = { type: "cli", userId: null, label: `CLI (${safe(() => userInfo().username)}@${hostname()})` };

function safe(f: () => string): string {
  try {
    return f();
  } catch {
    return "unknown";
  }
}

let handle: DatabaseHandle | null = null;

/** The configured database; the embedded folder refuses to open beside a running server. */
async function database() {
  if (handle) return handle.db;
  const e = env();
  if (e.DATABASE_URL) {
    handle = await openDatabase({ url: e.DATABASE_URL });
  } else {
    const folder = embeddedDataFolder(e.dataDir);
    try {
      handle = await openDatabase({ pgliteDir: folder });
    } catch (error) {
      if (error instanceof FolderLockedError) {
        const pid = /pid (\d+)/.exec(error.message)?.[1];
        throw new CliError(
          `the embedded database ${folder} is open in another process${pid ? ` (pid ${pid})` : ""}: stop the server first, or set DATABASE_URL`,
        );
      }
      throw error;
    }
    // As the server does on start: SQL migrations, then the data migrations (lib/data/data-migrations.ts).
    const { warnings } = describeDataMigrations(await migrateDatabase(handle, loadKeyRing(e)));
    for (const line of warnings) console.warn(`rotor: warning: ${line}`);
  }
  return handle.db;
}

/** zod parse with a one-line message naming the option. */
function parse<T extends z.ZodType>(schema: T, input: unknown, flags: Record<string, string> = {}): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[issue.path.length - 1] ?? "");
  const flag = flags[key] ?? (key ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : "input");
  throw new CliError(`${flag}: ${issue.message}`);
}

function json(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals().json);
}

function emit(cmd: Command, document: unknown, lines: string[]): void {
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
  org: "--org",
  email: "--email",
  role: "--role",
  slug: "--slug",
  validityDays: "--validity-days",
  audience: "--audience",
};

function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
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

async function clientContext(clientId: string): Promise<{ ctx: CredentialContext; organisation: OrganisationDto }> {
  const db = await database();
  const parsed = parse(rotateSecretInput.shape.clientId, clientId, { "": "--client" });
  const [row] = await db
    .select({ slug: organisations.slug })
    .from(oauthClients)
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .where(eq(oauthClients.clientId, parsed))
    .limit(1);
  if (!row) throw new CliError(`--client: there is no client ${parsed}`);
  const organisation = (await findOrganisationBySlug(db, row.slug))!;
  return {
    organisation,
    ctx: { db, organisation, role: null, isOperator: false, actor, clock: () => new Date(), keyRing: loadKeyRing(env()) },
  };
}

async function platform(): Promise<PlatformContext> {
  return { db: await database(), actor, isOperator: false, clock: () => new Date() };
}

async function inOrganisation(slug: string): Promise<OrganisationContext> {
  const ctx = await platform();
  return { ...ctx, organisation: await findOrganisationOrFail(ctx.db, slug), role: null };
}

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(/[\s,]+/).filter(Boolean)];

// --- commands -------------------------------------------------------------------------------------

const program = new Command("rotor")
  .description("Rotor's operator command line: bootstrap a deployment, script organisations, clients, secrets and keys.")
  .option("--json", "print exactly one JSON document instead of a readable summary")
  .showHelpAfterError("(add --help for usage)");

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
      const rows = await (await database())
        .select({ email: users.email, name: users.name, since: platformOperators.createdAt })
        .from(platformOperators)
        .innerJoin(users, eq(users.id, platformOperators.userId))
        .orderBy(asc(users.email));
      emit(
        cmd,
        { operators: rows },
        rows.length
          ? rows.map((r) => `${r.email}${r.name ? ` (${r.name})` : ""}`)
          : ["No platform operators yet: rotor operator add --email ..."],
      );
    }),
  );

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
      emit(cmd, { organisation: created }, [
        `Created ${created.name} (${created.slug}), ${created.timeZone}: secrets valid ${created.validityDays} days, ${created.overlapDays}-day overlap, reminders ${created.reminderOffsets.join(", ")}, ${created.autoIssue ? "auto-issue" : "manual rotation"}, ${created.secretRevealPolicy === "reveal" ? "reveal allowed" : "show once"}.`,
      ]);
    }),
  );
org
  .command("list")
  .description("list organisations")
  .action(
    action(async (_opts: object, cmd: Command) => {
      const db = await database();
      const rows = await db.select().from(organisations).orderBy(asc(organisations.name));
      emit(
        cmd,
        { organisations: rows },
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
      const db = await database();
      const slug = parse(slugField, opts.org, { "": "--org" });
      const organisation = await findOrganisationBySlug(db, slug);
      if (!organisation) throw new CliError(`--org: there is no organisation "${slug}"`);
      const people = await db
        .select({ email: users.email, role: memberships.role, status: memberships.status })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.organisationId, organisation.id))
        .orderBy(asc(users.email));
      const clients = await db
        .select({ clientId: oauthClients.clientId, name: oauthClients.name })
        .from(oauthClients)
        .where(eq(oauthClients.organisationId, organisation.id));
      emit(cmd, { organisation, members: people, clients }, [
        `${organisation.name} (${organisation.slug}), ${organisation.timeZone}`,
        `Policy: ${organisation.validityDays} days, ${organisation.overlapDays}-day overlap, reminders ${organisation.reminderOffsets.join(", ")}, ${organisation.autoIssue ? "auto-issue" : "manual"}, ${organisation.secretRevealPolicy}`,
        `Members: ${people.map((p) => `${p.email} (${p.role}${p.status === "active" ? "" : ", de-activated"})`).join("; ") || "none"}`,
        `Clients: ${clients.map((c) => `${c.clientId} ${c.name}`).join("; ") || "none"}`,
      ]);
    }),
  );

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
        emit(cmd, { organisation: result.organisation.slug, client: result.client }, [
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
      const db = await database();
      const organisation = await findOrganisationBySlug(db, opts.org);
      if (!organisation) throw new CliError(`--org: there is no organisation "${opts.org}"`);
      const rows = await db
        .select()
        .from(oauthClients)
        .where(eq(oauthClients.organisationId, organisation.id))
        .orderBy(asc(oauthClients.name));
      emit(cmd, { clients: rows }, rows.length ? rows.map((c) => `${c.clientId} ${c.name}`) : [`${organisation.name} has no clients yet.`]);
    }),
  );

const secret = program.command("secret").description("client secrets");
secret
  .command("rotate")
  .description("issue a new secret; the old one stays accepted for the overlap (never more than two live)")
  .requiredOption("--client <clientId>", "the client")
  .option("--compromised", "revoke every live secret at once instead", false)
  .action(
    action(async (opts: { client: string; compromised: boolean }, cmd: Command) => {
      const { ctx } = await clientContext(opts.client);
      const input = parse(rotateSecretInput, { clientId: opts.client, compromised: opts.compromised });
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
        },
        [
          `New secret for ${input.clientId} (shown only now; store it safely):`,
          result.secret.value,
          `id ${result.secret.id}, accepted until ${result.secret.expiresAt.toISOString()}`,
          ...(result.revokedSecretIds.length ? [`Revoked at once: ${result.revokedSecretIds.join(", ")}`] : []),
          ...(result.previousSecretAcceptedUntil
            ? [`The previous secret is accepted until ${result.previousSecretAcceptedUntil.toISOString()}.`]
            : []),
        ],
      );
    }),
  );
secret
  .command("revoke")
  .description("revoke a secret now (never the last live one)")
  .requiredOption("--client <clientId>", "the client")
  .requiredOption("--secret <id>", "the secret's id (rotor secret list)")
  .action(
    action(async (opts: { client: string; secret: string }, cmd: Command) => {
      const { ctx } = await clientContext(opts.client);
      const input = parse(revokeSecretInput, { clientId: opts.client, secretId: opts.secret }, { secretId: "--secret" });
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
      const { ctx, organisation } = await clientContext(opts.client);
      const found = await getClientCredentials(ctx.db, organisation, opts.client, ctx.clock());
      const rows = found?.secrets ?? [];
      emit(
        cmd,
        { secrets: rows },
        rows.length ? rows.map((s) => `${s.id} ${s.maskedValue} ${s.state.padEnd(10)} expires ${s.expiresOn}`) : ["No secrets."],
      );
    }),
  );

const key = program.command("key").description("public keys for private_key_jwt");
key
  .command("add")
  .description("register an RSA public key (2048 to 4096 bits; at most two active)")
  .requiredOption("--client <clientId>", "the client")
  .requiredOption("--file <path>", "the public key, PEM or JWK")
  .option("--kid <kid>", "key id (default: RFC 7638 thumbprint)")
  .option("--expires <YYYY-MM-DD>", "last day the key is accepted")
  .action(
    action(async (opts: { client: string; file: string; kid?: string; expires?: string }, cmd: Command) => {
      let text: string;
      try {
        if (statSync(opts.file).size > 20_000) throw new CliError(`--file: ${opts.file} is far too large for a public key`);
        text = readFileSync(opts.file, "utf8");
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`--file: cannot read ${opts.file}`);
      }
      const { ctx } = await clientContext(opts.client);
      const input = parse(
        registerKeyInput,
        { clientId: opts.client, key: text, kid: opts.kid, expiresOn: opts.expires },
        { key: "--file", expiresOn: "--expires" },
      );
      const registered = await registerPublicKey(ctx, input);
      emit(cmd, { key: registered }, [`Registered key ${registered.kid} (RSA ${registered.bits} bits) for ${input.clientId}.`]);
    }),
  );
key
  .command("revoke")
  .description("revoke a public key now")
  .requiredOption("--client <clientId>", "the client")
  .requiredOption("--key <id>", "the key's id (rotor key list)")
  .action(
    action(async (opts: { client: string; key: string }, cmd: Command) => {
      const { ctx } = await clientContext(opts.client);
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
      const { ctx, organisation } = await clientContext(opts.client);
      const found = await getClientCredentials(ctx.db, organisation, opts.client, ctx.clock());
      const rows = found?.keys ?? [];
      emit(cmd, { keys: rows }, rows.length ? rows.map((k) => `${k.id} ${k.kid} RSA ${k.bits} ${k.state}`) : ["No keys."]);
    }),
  );

program
  .command("cron")
  .description("the scheduler")
  .command("run")
  .description("one scheduler run: the same run the cron route does")
  .option("--now <instant>", "run as if at this ISO 8601 instant (for tests and catch-up)")
  .action(
    action(async (opts: { now?: string }, cmd: Command) => {
      const now = opts.now
        ? new Date(
            parse(z.iso.datetime({ offset: true, error: "Give an ISO 8601 instant, e.g. 2026-11-21T09:00:00Z." }), opts.now, {
              "": "--now",
            }),
          )
        : new Date();
      const e = env();
      const summary = await runScheduler(
        { db: await database(), keyRing: loadKeyRing(e), publicUrl: e.ROTOR_PUBLIC_URL, transport: mailTransport() },
        now,
      );
      emit(cmd, summary, [
        `Scheduler run at ${summary.at}: ${summary.autoIssued} secrets issued, ${summary.expired.secrets + summary.expired.keys} expiries recorded, ${summary.reminders.secrets + summary.reminders.keys} reminders enqueued, ${summary.email?.sent ?? 0} e-mails sent (${summary.durationMs} ms).`,
      ]);
    }),
  );

await program.parseAsync(process.argv);
