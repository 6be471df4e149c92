import { and, count, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { memberships, oauthClients, organisations, platformOperators, users } from "@/db/schema";
import type { Actor } from "@/lib/context";
import { auditActor } from "@/lib/context";
import { generateClientId } from "@/lib/crypto/client-id";
import { recordEvent } from "@/lib/data/audit";
import { ORGANISATION_SLUG_PATTERN } from "@/lib/data/organisations";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError, isUniqueViolation } from "@/lib/errors";
import { deactivateMember } from "./members";
import type { CreateClientInput, CreateOrganisationInput, InviteUserInput } from "./schemas";

/*
 * Onboarding use cases for the platform operator (and the CLI, which acts as one). Each runs in a
 * transaction, checks the rules the database cannot, and writes an audit event.
 */

function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "organisation"
  );
}

export async function createOrganisation(db: Database, actor: Actor, input: CreateOrganisationInput, now: Date) {
  const limits = await getPlatformSettings(db);
  if (input.policy.validityDays > limits.maxValidityDays) {
    throw new DomainError("invalid", `The platform allows at most ${limits.maxValidityDays} days of validity.`, "validityDays");
  }
  const slug = input.slug ?? slugify(input.name);
  try {
    return await db.transaction(async (tx) => {
      const [org] = await tx
        .insert(organisations)
        .values({
          slug,
          name: input.name,
          timeZone: input.timeZone,
          locale: input.locale,
          validityDays: input.policy.validityDays,
          overlapDays: input.policy.overlapDays,
          reminderOffsets: input.policy.reminderOffsets,
          autoIssue: input.policy.autoIssue,
          secretRevealPolicy: input.policy.secretRevealPolicy,
          createdAt: now,
        })
        .returning();
      if (!org) throw new Error("organisation insert returned nothing");
      await recordEvent(tx, {
        organisationId: org.id,
        actor: auditActor(actor),
        action: "organisation.created",
        target: { type: "organisation", id: org.id },
        metadata: { slug, name: input.name },
      });
      return org;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError("conflict", `An organisation with the slug "${slug}" already exists; choose another slug.`, "slug");
    throw error;
  }
}

export async function findOrganisationOrFail(db: Database, slug: string) {
  const [org] = ORGANISATION_SLUG_PATTERN.test(slug)
    ? await db.select().from(organisations).where(eq(organisations.slug, slug)).limit(1)
    : [];
  if (!org) throw new DomainError("not_found", `There is no organisation "${slug}".`, "org");
  return org;
}

/** Invites a person into an organisation with a role; exactly one active designated user each. */
export async function inviteUser(
  db: Database,
  actor: Actor,
  orgSlug: string,
  input: InviteUserInput,
  now: Date,
  isOperator = actor.type === "cli",
) {
  const org = await findOrganisationOrFail(db, orgSlug);
  return db.transaction(async (tx) => {
    if (input.role === "spoc" && !isOperator && !(await getPlatformSettings(tx)).adminsMayDesignateSpoc) {
      throw new DomainError("forbidden", "Only the platform operator designates your organisation's designated user (SPOC).", "role");
    }
    let [user] = await tx.select().from(users).where(eq(users.email, input.email)).limit(1);
    if (!user) {
      [user] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name ?? null, createdAt: now })
        .returning();
    }
    if (!user) throw new Error("user insert returned nothing");
    const [existing] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.organisationId, org.id), eq(memberships.userId, user.id)))
      .for("update");
    if (existing?.status === "active")
      throw new DomainError("conflict", `${input.email} is already an active member of ${org.name}.`, "email");
    if (input.role === "spoc") {
      const [spoc] = await tx
        .select({ n: count() })
        .from(memberships)
        .where(and(eq(memberships.organisationId, org.id), eq(memberships.role, "spoc"), eq(memberships.status, "active")));
      if ((spoc?.n ?? 0) > 0)
        throw new DomainError(
          "conflict",
          `${org.name} already has a designated user (SPOC); de-activate them or change their role first.`,
          "role",
        );
    }
    const values = { role: input.role, status: "active" as const, deactivatedAt: null, deactivatedBy: null, invitedBy: actor.userId };
    const [membership] = existing
      ? await tx.update(memberships).set(values).where(eq(memberships.id, existing.id)).returning()
      : await tx
          .insert(memberships)
          .values({ organisationId: org.id, userId: user.id, createdAt: now, ...values })
          .returning();
    await recordEvent(tx, {
      organisationId: org.id,
      actor: auditActor(actor),
      action: "user.invited",
      target: { type: "user", id: user.id },
      metadata: { email: input.email, role: input.role },
    });
    return { organisation: org, user, membership: membership! };
  });
}

/** The CLI's de-activation by e-mail: finds the membership, then applies the one set of rules. */
export async function deactivateUser(db: Database, actor: Actor, orgSlug: string, email: string, now: Date) {
  const org = await findOrganisationOrFail(db, orgSlug);
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, org.id), eq(users.email, email.trim().toLowerCase())));
  if (!row) throw new DomainError("not_found", `${email} is not a member of ${org.name}.`, "email");
  await deactivateMember(db, { actor, isOperator: true }, org.id, row.id, now);
  return { organisation: org };
}

export async function createClient(db: Database, actor: Actor, orgSlug: string, input: CreateClientInput, now: Date) {
  const org = await findOrganisationOrFail(db, orgSlug);
  const limits = await getPlatformSettings(db);
  const refused = limits.allowedAudiences.length ? input.audiences.filter((a) => !limits.allowedAudiences.includes(a)) : [];
  if (refused.length) {
    throw new DomainError(
      "invalid",
      `The platform does not allow the audience ${refused.join(", ")}; allowed: ${limits.allowedAudiences.join(", ")}.`,
      "audience",
    );
  }
  return db.transaction(async (tx) => {
    const [client] = await tx
      .insert(oauthClients)
      .values({
        organisationId: org.id,
        clientId: generateClientId(),
        name: input.name,
        allowedScopes: input.scopes,
        allowedAudiences: input.audiences,
        accessTokenTtlSeconds: input.tokenTtlSeconds,
        legacyAudience: input.legacyAudience,
        accessTokenAlg: input.accessTokenAlg,
        createdAt: now,
      })
      .returning();
    if (!client) throw new Error("client insert returned nothing");
    await recordEvent(tx, {
      organisationId: org.id,
      actor: auditActor(actor),
      action: "client.created",
      target: { type: "oauth_client", id: client.id },
      metadata: { clientId: client.clientId, name: input.name },
    });
    return { organisation: org, client };
  });
}

export async function addOperator(db: Database, actor: Actor, email: string, name: string | undefined, now: Date) {
  return db.transaction(async (tx) => {
    let [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
    if (!user)
      [user] = await tx
        .insert(users)
        .values({ email, name: name ?? null, createdAt: now })
        .returning();
    if (!user) throw new Error("user insert returned nothing");
    const inserted = await tx
      .insert(platformOperators)
      .values({ userId: user.id, createdAt: now, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) throw new DomainError("conflict", `${email} is already a platform operator.`, "email");
    await recordEvent(tx, {
      organisationId: null,
      actor: auditActor(actor),
      action: "operator.added",
      target: { type: "user", id: user.id },
      metadata: { email },
    });
    return user;
  });
}
