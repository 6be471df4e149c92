import { and, count, eq, ne } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { type MembershipRole, memberships, sessions, users } from "@/db/schema";
import type { Actor } from "@/lib/context";
import { auditActor } from "@/lib/context";
import { revokeMemberApiTokens } from "@/lib/data/api-tokens";
import { recordEvent } from "@/lib/data/audit";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";

/*
 * The people rules of issue 6 and seed 001: exactly one designated user (SPOC) per organisation,
 * designated by the platform operator or, where the platform allows it, by an admin; at least one
 * active admin always; de-activation ends sessions and API tokens at once. Each runs in a
 * transaction that locks the membership rows it reasons about.
 */

async function lockMembership(tx: Executor, organisationId: string, membershipId: string) {
  const [row] = await tx
    .select({ membership: memberships, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.organisationId, organisationId)))
    .for("update");
  if (!row) throw new DomainError("not_found", "There is no such member of your organisation.");
  return row;
}

async function activeCount(tx: Executor, organisationId: string, role: MembershipRole, except?: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        eq(memberships.role, role),
        eq(memberships.status, "active"),
        ...(except ? [ne(memberships.id, except)] : []),
      ),
    );
  return row?.n ?? 0;
}

export interface ActingAs {
  actor: Actor;
  /** Operators may designate the SPOC; admins only where the platform allows it. */
  isOperator: boolean;
}

async function mayDesignateSpoc(tx: Executor, acting: ActingAs): Promise<void> {
  if (acting.isOperator || acting.actor.type === "cli") return;
  if (!(await getPlatformSettings(tx)).adminsMayDesignateSpoc) {
    throw new DomainError("forbidden", "Only the platform operator designates your organisation's designated user (SPOC).", "role");
  }
}

export async function changeRole(
  db: Database,
  acting: ActingAs,
  organisationId: string,
  membershipId: string,
  role: MembershipRole,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { membership, email } = await lockMembership(tx, organisationId, membershipId);
    if (membership.status !== "active") throw new DomainError("conflict", "Re-activate this person before changing their role.");
    if (membership.role === role) return membership;
    if (role === "spoc" || membership.role === "spoc") await mayDesignateSpoc(tx, acting);
    if (membership.role === "admin" && (await activeCount(tx, organisationId, "admin", membership.id)) === 0) {
      throw new DomainError("conflict", `${email} is the last active admin; make someone else an admin first.`, "role");
    }
    if (role === "spoc" && (await activeCount(tx, organisationId, "spoc", membership.id)) > 0) {
      throw new DomainError("conflict", "Your organisation already has a designated user (SPOC); change their role first.", "role");
    }
    const [updated] = await tx.update(memberships).set({ role }).where(eq(memberships.id, membership.id)).returning();
    // A token carries its owner's current role, no more: a new role starts with none.
    const apiTokensRevoked = await revokeMemberApiTokens(tx, membership.userId, organisationId, now);
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(acting.actor),
      action: "user.role_changed",
      target: { type: "user", id: membership.userId },
      metadata: { email, from: membership.role, to: role, apiTokensRevoked },
    });
    return updated!;
  });
}

export async function deactivateMember(db: Database, acting: ActingAs, organisationId: string, membershipId: string, now: Date) {
  return db.transaction(async (tx) => {
    const { membership, email } = await lockMembership(tx, organisationId, membershipId);
    if (membership.status === "deactivated") throw new DomainError("conflict", `${email} is already de-activated.`);
    if (membership.userId === acting.actor.userId) throw new DomainError("conflict", "You cannot de-activate yourself; ask another admin.");
    if (membership.role === "admin" && (await activeCount(tx, organisationId, "admin", membership.id)) === 0) {
      throw new DomainError("conflict", `${email} is the last active admin; make someone else an admin first.`);
    }
    await tx
      .update(memberships)
      .set({ status: "deactivated", deactivatedAt: now, deactivatedBy: acting.actor.userId })
      .where(eq(memberships.id, membership.id));
    // At once: every session of theirs, and their API tokens for this organisation.
    await tx.delete(sessions).where(eq(sessions.userId, membership.userId));
    const apiTokensRevoked = await revokeMemberApiTokens(tx, membership.userId, organisationId, now);
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(acting.actor),
      action: "user.deactivated",
      target: { type: "user", id: membership.userId },
      metadata: { email, apiTokensRevoked },
    });
  });
}

export async function reactivateMember(db: Database, acting: ActingAs, organisationId: string, membershipId: string) {
  return db.transaction(async (tx) => {
    const { membership, email } = await lockMembership(tx, organisationId, membershipId);
    if (membership.status === "active") throw new DomainError("conflict", `${email} is already active.`);
    if (membership.role === "spoc" && (await activeCount(tx, organisationId, "spoc")) > 0) {
      throw new DomainError(
        "conflict",
        `Your organisation already has a designated user (SPOC); ${email} would be a second. Change their role after re-activating, or change the current SPOC's role first.`,
      );
    }
    await tx
      .update(memberships)
      .set({ status: "active", deactivatedAt: null, deactivatedBy: null })
      .where(eq(memberships.id, membership.id));
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(acting.actor),
      action: "user.reactivated",
      target: { type: "user", id: membership.userId },
      metadata: { email },
    });
  });
}

/**
 * The platform operator designates an organisation's SPOC (seed 001): the current one, if any,
 * becomes a member; the new one is an existing member whose role changes, or a new person
 * invited with that role. One transaction, so the organisation never has two, and never loses
 * its last admin to the switch.
 */
export async function designateSpoc(db: Database, actor: Actor, organisationId: string, email: string, now: Date) {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ membership: memberships, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organisationId, organisationId))
      .for("update");
    const target = rows.find((r) => r.email === email);
    const current = rows.find((r) => r.membership.role === "spoc" && r.membership.status === "active");
    if (current && current.email === email) throw new DomainError("conflict", `${email} is already the designated user.`, "email");
    if (
      target?.membership.role === "admin" &&
      rows.filter((r) => r.membership.role === "admin" && r.membership.status === "active").length <= 1
    ) {
      throw new DomainError("conflict", `${email} is the last active admin; make someone else an admin first.`, "email");
    }
    // The previous SPOC's tokens end with the role; so do the new one's from any earlier role.
    let apiTokensRevoked = 0;
    if (current) {
      await tx.update(memberships).set({ role: "member" }).where(eq(memberships.id, current.membership.id));
      apiTokensRevoked += await revokeMemberApiTokens(tx, current.membership.userId, organisationId, now);
    }
    if (target) {
      await tx
        .update(memberships)
        .set({ role: "spoc", status: "active", deactivatedAt: null, deactivatedBy: null })
        .where(eq(memberships.id, target.membership.id));
      apiTokensRevoked += await revokeMemberApiTokens(tx, target.membership.userId, organisationId, now);
    } else {
      let [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
      if (!user) [user] = await tx.insert(users).values({ email, createdAt: now }).returning();
      await tx.insert(memberships).values({ organisationId, userId: user!.id, role: "spoc", invitedBy: actor.userId, createdAt: now });
    }
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(actor),
      action: "user.spoc_designated",
      target: { type: "membership", id: target?.membership.id ?? email },
      metadata: { email, previous: current?.email ?? null, apiTokensRevoked },
    });
    return { previous: current?.email ?? null };
  });
}
