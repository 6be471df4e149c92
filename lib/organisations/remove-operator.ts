import { auditActor, authorizeOperator, type PlatformContext } from "@/lib/context";
import { revokePlatformApiTokens } from "@/lib/data/api-tokens";
import { recordEvent } from "@/lib/data/audit";
import { deleteOperator, findUserByEmail, lockOperatorCount } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";

/**
 * Ends a person's place among the platform operators, and with it every platform token they hold,
 * in the same transaction (docs/domain.md, "The management API"): like a demoted designated user,
 * a removed operator's token is refused from the next request. The last operator stays, so the
 * platform is never left without one.
 */
export async function removeOperator(ctx: PlatformContext, input: { email: string }): Promise<{ apiTokensRevoked: number }> {
  authorizeOperator(ctx);
  return ctx.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    const remaining = await lockOperatorCount(tx);
    if (!user || !(await deleteOperator(tx, user.id))) {
      throw new DomainError("not_found", `${input.email} is not a platform operator.`, "email");
    }
    if (remaining <= 1) throw new DomainError("conflict", `${input.email} is the last platform operator; add another first.`, "email");
    const apiTokensRevoked = await revokePlatformApiTokens(tx, user.id, ctx.clock());
    await recordEvent(tx, {
      organisationId: null,
      actor: auditActor(ctx.actor),
      action: "operator.removed",
      target: { type: "user", id: user.id },
      metadata: { email: input.email, apiTokensRevoked },
      ip: ctx.actor.ip ?? null,
      userAgent: ctx.actor.userAgent ?? null,
    });
    return { apiTokensRevoked };
  });
}
