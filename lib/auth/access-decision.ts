import type { MembershipRole } from "@/db/schema";
import { can, type Permission } from "./permissions";

/*
 * Who may see what, as pure functions of facts the edge has read from the database. Kept apart
 * from Next's redirect()/notFound()/forbidden() (lib/auth/caller.ts) so every branch is unit-tested
 * (docs/architecture.md, "Access"). The rules are in docs/domain.md, "Who uses it", and
 * docs/security.md, "Tenancy".
 */

export type AccessDecision =
  | { outcome: "allowed"; role: MembershipRole }
  /** Nobody is signed in (or the session names nobody who may be here): go to the sign-in page. */
  | { outcome: "sign-in" }
  /** Another organisation's page, or one that does not exist: the same answer, so ids cannot be probed. */
  | { outcome: "not-found" }
  /** One's own organisation, but the role does not carry the permission. */
  | { outcome: "forbidden" };

export interface SignedInFacts {
  /** The session's user still exists. */
  userExists: boolean;
  isOperator: boolean;
  /** Organisations where the person has an active membership. */
  activeOrganisations: number;
}

/** A signed-in person with neither an active membership nor operator rights is nobody here. */
export function isSomebody(facts: SignedInFacts | null): boolean {
  if (facts === null || !facts.userExists) return false;
  return facts.isOperator || facts.activeOrganisations > 0;
}

export interface OrganisationFacts {
  signedIn: boolean;
  organisationExists: boolean;
  /** The caller's active membership in this organisation; null when there is none (or it is de-activated). */
  activeRole: MembershipRole | null;
}

/**
 * The check every page and action of an organisation makes for itself. The platform operator
 * gets no organisation page by being an operator: they act through the Platform area.
 */
export function decideOrganisationAccess(facts: OrganisationFacts, permission: Permission): AccessDecision {
  if (!facts.signedIn) return { outcome: "sign-in" };
  if (!facts.organisationExists || facts.activeRole === null) return { outcome: "not-found" };
  if (!can(facts.activeRole, permission)) return { outcome: "forbidden" };
  return { outcome: "allowed", role: facts.activeRole };
}

/** The Platform area: operators only; to anyone else it does not exist. */
export function decideOperatorAccess(facts: { signedIn: boolean; isOperator: boolean }): "allowed" | "sign-in" | "not-found" {
  if (!facts.signedIn) return "sign-in";
  return facts.isOperator ? "allowed" : "not-found";
}
