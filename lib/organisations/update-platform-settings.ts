import { auditActor, authorizeOperator, type PlatformContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { listOrganisationsOverValidity } from "@/lib/data/organisations";
import { savePlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";
import type { PlatformLimitsInput } from "./schemas";

/**
 * The platform-wide limits (docs/domain.md, "Who uses it"). A lower maximum validity is refused
 * while an organisation's policy is longer: its secrets would outlive the platform's rule.
 */
export async function updatePlatformSettings(ctx: PlatformContext, input: PlatformLimitsInput): Promise<void> {
  authorizeOperator(ctx);
  await ctx.db.transaction(async (tx) => {
    const over = await listOrganisationsOverValidity(tx, input.maxValidityDays);
    if (over.length > 0) {
      throw new DomainError(
        "conflict",
        `${over.map((o) => `${o.name} (${o.days} days)`).join(", ")} already use${over.length === 1 ? "s" : ""} a longer validity; lower ${over.length === 1 ? "its" : "their"} policy first.`,
        "maxValidityDays",
      );
    }
    await savePlatformSettings(tx, input, ctx.clock());
    await recordEvent(tx, {
      organisationId: null,
      actor: auditActor(ctx.actor),
      action: "platform.limits_updated",
      metadata: { ...input },
    });
  });
}
