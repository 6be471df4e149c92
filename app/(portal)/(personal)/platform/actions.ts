"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, fromError, fromZodError, submitted } from "@/lib/action-state";
import { requireOperator } from "@/lib/auth/caller";
import { platformContextFor } from "@/lib/auth/organisation-context";
import { parseDayList } from "@/lib/credentials/schemas";
import { designateSpoc } from "@/lib/organisations/designate-spoc";
import { onboardOrganisation } from "@/lib/organisations/onboard-organisation";
import { emailField, onboardInput, platformLimitsInput } from "@/lib/organisations/schemas";
import { updatePlatformSettings } from "@/lib/organisations/update-platform-settings";

const ONBOARD_FIELDS = [
  "name",
  "slug",
  "timeZone",
  "locale",
  "validityDays",
  "overlapDays",
  "reminderOffsets",
  "secretRevealPolicy",
  "adminEmail",
  "adminName",
  "spocEmail",
  "spocName",
];

export async function onboardAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values: Record<string, string> = { ...submitted(form, ONBOARD_FIELDS), autoIssue: form.get("autoIssue") === "on" ? "on" : "" };
  const reminders = parseDayList(values.reminderOffsets ?? "");
  if (typeof reminders === "string") return { status: "error", message: reminders, fieldErrors: { reminderOffsets: reminders }, values };
  const parsed = onboardInput.safeParse({
    organisation: {
      name: values.name,
      slug: values.slug || undefined,
      timeZone: values.timeZone,
      locale: values.locale || undefined,
      policy: {
        validityDays: values.validityDays,
        overlapDays: values.overlapDays,
        reminderOffsets: reminders,
        autoIssue: values.autoIssue === "on",
        secretRevealPolicy: values.secretRevealPolicy,
      },
    },
    admin: { email: values.adminEmail, name: values.adminName || undefined },
    spoc: { email: values.spocEmail, name: values.spocName || undefined },
  });
  if (!parsed.success) {
    // Nested paths (admin.email) map onto the form's flat field names.
    const state = fromZodError(parsed.error, values);
    state.fieldErrors = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const [group, field] = path;
      const flat = group === "admin" || group === "spoc" ? `${group}${field === "email" ? "Email" : "Name"}` : path[path.length - 1];
      if (flat) state.fieldErrors[flat] ??= issue.message;
    }
    return state;
  }
  const caller = await requireOperator();
  try {
    const org = await onboardOrganisation(await platformContextFor(caller), parsed.data);
    revalidatePath("/platform");
    return {
      status: "success",
      message: `${org.name} is onboarded; ${parsed.data.admin.email} (admin) and ${parsed.data.spoc.email} (designated user) can sign in.`,
    };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function limitsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values: Record<string, string> = {
    ...submitted(form, ["serviceName", "apiEndpoint", "maxValidityDays", "allowedAudiences"]),
    adminsMayDesignateSpoc: form.get("adminsMayDesignateSpoc") === "on" ? "on" : "",
  };
  const parsed = platformLimitsInput.safeParse({
    serviceName: values.serviceName,
    apiEndpoint: values.apiEndpoint ?? "",
    maxValidityDays: values.maxValidityDays,
    allowedAudiences: (values.allowedAudiences ?? "").split(/[\s,]+/).filter(Boolean),
    adminsMayDesignateSpoc: values.adminsMayDesignateSpoc === "on",
  });
  if (!parsed.success) return fromZodError(parsed.error, values);
  const caller = await requireOperator();
  try {
    await updatePlatformSettings(await platformContextFor(caller), parsed.data);
    revalidatePath("/platform");
    return { status: "success", message: "Platform limits saved." };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function designateSpocAction(organisationId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["email"]);
  const parsed = z.object({ email: emailField }).safeParse(values);
  if (!parsed.success || !z.uuid().safeParse(organisationId).success)
    return parsed.success ? { status: "error", message: "Unknown organisation." } : fromZodError(parsed.error, values);
  const caller = await requireOperator();
  try {
    const { previous } = await designateSpoc(await platformContextFor(caller), { organisationId, email: parsed.data.email });
    revalidatePath("/platform");
    return { status: "success", message: `${parsed.data.email} is now the designated user${previous ? `; ${previous} is a member` : ""}.` };
  } catch (error) {
    return fromError(error, values);
  }
}
