import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { destroyOrganisationCiphertexts, updateOrganisationPolicy } from "@/lib/data/credentials";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";
import type { RotationPolicyInput } from "./schemas";

/**
 * The organisation's rotation policy (seed 001's update: entities configure their own expiry
 * period), within the platform's maximum. It applies to secrets issued from now on. Switching to
 * show-once destroys every stored ciphertext, so no secret of the organisation can be read again.
 */
export async function updateRotationPolicy(ctx: CredentialContext, input: RotationPolicyInput): Promise<void> {
  authorize(ctx, "policy.manage");
  await ctx.db.transaction(async (tx) => {
    await authorizeNow(tx, ctx, "policy.manage");
    const limits = await getPlatformSettings(tx);
    if (input.validityDays > limits.maxValidityDays) {
      throw new DomainError("invalid", `The platform allows at most ${limits.maxValidityDays} days of validity.`, "validityDays");
    }
    const before = ctx.organisation;
    await updateOrganisationPolicy(
      tx,
      ctx.organisation.id,
      {
        validityDays: input.validityDays,
        overlapDays: input.overlapDays,
        reminderOffsets: input.reminderOffsets,
        autoIssue: input.autoIssue,
        secretRevealPolicy: input.secretRevealPolicy,
      },
      ctx.clock(),
    );
    let ciphertextsDestroyed = 0;
    if (input.secretRevealPolicy === "show_once" && before.secretRevealPolicy === "reveal") {
      ciphertextsDestroyed = await destroyOrganisationCiphertexts(tx, ctx.organisation.id);
    }
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "policy.updated",
      target: { type: "organisation", id: ctx.organisation.id },
      metadata: {
        before: {
          validityDays: before.validityDays,
          overlapDays: before.overlapDays,
          reminderOffsets: before.reminderOffsets,
          autoIssue: before.autoIssue,
          secretRevealPolicy: before.secretRevealPolicy,
        },
        after: input,
        ciphertextsDestroyed,
      },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
  });
}
