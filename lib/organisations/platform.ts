import { gt } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { organisations, platformSettings } from "@/db/schema";
import type { Actor } from "@/lib/context";
import { auditActor } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { DomainError } from "@/lib/errors";
import { storableText, textField } from "@/lib/text-field";
import { createOrganisation, inviteUser } from "./manage";
import { createOrganisationInput, emailField } from "./schemas";

/** The platform operator's work (issue 6): onboarding organisations and setting the limits. */

const personName = textField({ max: 200, tooLong: "Keep the name under 200 characters." });

export const onboardInput = z.object({
  organisation: createOrganisationInput,
  admin: z.object({ email: emailField, name: personName.optional() }),
  spoc: z.object({ email: emailField, name: personName.optional() }),
});
export type OnboardInput = z.infer<typeof onboardInput>;

/** One transaction: the organisation, its first admin and its designated user, or nothing. */
export async function onboardOrganisation(db: Database, actor: Actor, input: OnboardInput, now: Date) {
  if (input.spoc.email === input.admin.email) {
    throw new DomainError(
      "invalid",
      "The designated user must be a different person (or service account) from the first admin.",
      "spocEmail",
    );
  }
  return db.transaction(async (tx) => {
    const org = await createOrganisation(tx as unknown as Database, actor, input.organisation, now);
    await inviteUser(
      tx as unknown as Database,
      actor,
      org.slug,
      { email: input.admin.email, name: input.admin.name, role: "admin" },
      now,
      true,
    );
    await inviteUser(
      tx as unknown as Database,
      actor,
      org.slug,
      { email: input.spoc.email, name: input.spoc.name, role: "spoc" },
      now,
      true,
    );
    return org;
  });
}

const uri = storableText().refine(
  (v) => {
    try {
      return new URL(v).hash === "";
    } catch {
      return false;
    }
  },
  { error: "Each audience is an absolute URI without a fragment, e.g. https://api.example.com/." },
);

export const platformLimitsInput = z.object({
  serviceName: textField({ required: "Give the service a name.", max: 100, tooLong: "Keep the name under 100 characters." }),
  apiEndpoint: storableText()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(z.url({ error: "The API endpoint is an absolute URL, e.g. https://api.example.com/v1." }).nullable()),
  maxValidityDays: z.coerce
    .number()
    .int({ error: "Use whole days." })
    .min(1, { error: "At least 1 day." })
    .max(3650, { error: "At most 3650 days (ten years)." }),
  allowedAudiences: z.array(uri).max(50, { error: "At most 50 audiences." }),
  adminsMayDesignateSpoc: z.boolean(),
});
export type PlatformLimitsInput = z.infer<typeof platformLimitsInput>;

export async function updatePlatformLimits(db: Database, actor: Actor, input: PlatformLimitsInput, now: Date) {
  return db.transaction(async (tx) => {
    const over = await tx
      .select({ name: organisations.name, days: organisations.validityDays })
      .from(organisations)
      .where(gt(organisations.validityDays, input.maxValidityDays));
    if (over.length > 0) {
      throw new DomainError(
        "conflict",
        `${over.map((o) => `${o.name} (${o.days} days)`).join(", ")} already use${over.length === 1 ? "s" : ""} a longer validity; lower ${over.length === 1 ? "its" : "their"} policy first.`,
        "maxValidityDays",
      );
    }
    const values = { ...input, updatedAt: now };
    await tx
      .insert(platformSettings)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: platformSettings.id, set: values });
    await recordEvent(tx, { organisationId: null, actor: auditActor(actor), action: "platform.limits_updated", metadata: { ...input } });
  });
}
