import { auditActor, authorizeOperator, type PlatformContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { findOrCreateUser, insertOperator, type UserDto } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import type { AddOperatorInput } from "./schemas";

/** Makes a person a platform operator: the bootstrap of a deployment, from the CLI. */
export async function addOperator(ctx: PlatformContext, input: AddOperatorInput): Promise<UserDto> {
  authorizeOperator(ctx);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock();
    const user = await findOrCreateUser(tx, { email: input.email, name: input.name }, now);
    if (!(await insertOperator(tx, user.id, ctx.actor.userId, now)))
      throw new DomainError("conflict", `${input.email} is already a platform operator.`, "email");
    await recordEvent(tx, {
      organisationId: null,
      actor: auditActor(ctx.actor),
      action: "operator.added",
      target: { type: "user", id: user.id },
      metadata: { email: input.email },
    });
    return user;
  });
}
