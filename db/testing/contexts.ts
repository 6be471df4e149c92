import type { MembershipRole } from "@/db/schema";
import type { Actor, OrganisationContext, PlatformContext } from "@/lib/context";
import type { OrganisationDto } from "@/lib/data/organisations";
import type { Database } from "../client";

/** Contexts for tests that call the organisation and platform use cases directly. */

export const CLI_ACTOR: Actor = { type: "cli", userId: null, label: "CLI (test)" };

/** The CLI: acts as the platform, with no role anywhere. */
export function cliPlatform(db: Database, now = new Date()): PlatformContext {
  return { db, actor: CLI_ACTOR, isOperator: false, clock: () => now };
}

export function cliIn(db: Database, organisation: OrganisationDto, now = new Date()): OrganisationContext {
  return { ...cliPlatform(db, now), organisation, role: null };
}

/** A signed-in person as an edge would resolve them: their role here and whether they are an operator. */
export function personIn(
  db: Database,
  organisation: OrganisationDto,
  person: { userId: string; label: string; role: MembershipRole | null; isOperator?: boolean },
  now = new Date(),
): OrganisationContext {
  return {
    db,
    actor: { type: "user", userId: person.userId, label: person.label },
    isOperator: person.isOperator ?? false,
    clock: () => now,
    organisation,
    role: person.role,
  };
}

export function personOnPlatform(
  db: Database,
  person: { userId: string; label: string; isOperator: boolean },
  now = new Date(),
): PlatformContext {
  return { db, actor: { type: "user", userId: person.userId, label: person.label }, isOperator: person.isOperator, clock: () => now };
}
