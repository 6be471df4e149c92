import type { Executor } from "@/db/client";
import type { PlatformContext } from "@/lib/context";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";

/**
 * Who may make someone the designated user (docs/domain.md, "Who uses it"): the platform operator
 * (and the CLI, which acts as one), or an organisation admin where the platform allows it. The
 * operator flag comes from the edge's look-up in the database, never from the request.
 */
export async function mayDesignateSpoc(tx: Executor, ctx: PlatformContext): Promise<void> {
  if (ctx.isOperator || ctx.actor.type === "cli" || ctx.actor.type === "system") return;
  if (!(await getPlatformSettings(tx)).adminsMayDesignateSpoc) {
    throw new DomainError("forbidden", "Only the platform operator designates your organisation's designated user (SPOC).", "role");
  }
}
