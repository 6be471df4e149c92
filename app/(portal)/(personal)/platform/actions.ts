"use server";

import { z } from "zod";
import { type ActionState, fromZodError, submitted } from "@/lib/action-state";
import { operatorAction } from "@/lib/actions/caller-actions";
import { accept, type Parsed, refuse, validate } from "@/lib/actions/form-action";
import { createPlatformApiToken, revokeApiToken } from "@/lib/api-tokens/api-tokens";
import { createPlatformApiTokenInput, revokeApiTokenInput } from "@/lib/api-tokens/schemas";
import { actorFor } from "@/lib/auth/actor";
import { platformContextFor } from "@/lib/auth/organisation-context";
import { parseDayList } from "@/lib/credentials/schemas";
import { getDb } from "@/lib/data/database";
import { designateSpoc } from "@/lib/organisations/designate-spoc";
import { onboardOrganisation } from "@/lib/organisations/onboard-organisation";
import { emailField, type OnboardInput, onboardInput, platformLimitsInput } from "@/lib/organisations/schemas";
import { updatePlatformSettings } from "@/lib/organisations/update-platform-settings";

/* The platform operator's actions (lib/actions/caller-actions.ts: operatorAction); each use case checks again. */

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

/** The onboarding form is flat; the use case's input is nested (organisation, its policy, two people). */
function parseOnboarding(values: Record<string, string>): Parsed<OnboardInput> {
  const reminders = parseDayList(values.reminderOffsets ?? "");
  if (typeof reminders === "string") return refuse(reminders, { field: "reminderOffsets", values });
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
  if (parsed.success) return accept(parsed.data);
  // Nested paths (admin.email) map onto the form's flat field names.
  const state = fromZodError(parsed.error, values);
  state.fieldErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String);
    const [group, field] = path;
    const flat = group === "admin" || group === "spoc" ? `${group}${field === "email" ? "Email" : "Name"}` : path[path.length - 1];
    if (flat) state.fieldErrors[flat] ??= issue.message;
  }
  return { ok: false, state };
}

export async function onboardAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values: Record<string, string> = { ...submitted(form, ONBOARD_FIELDS), autoIssue: form.get("autoIssue") === "on" ? "on" : "" };
  return operatorAction({
    values,
    parse: () => parseOnboarding(values),
    run: async (caller, input) => {
      const org = await onboardOrganisation(await platformContextFor(caller), input);
      return `${org.name} is onboarded; ${input.admin.email} (admin) and ${input.spoc.email} (designated user) can sign in.`;
    },
    revalidate: "/platform",
  });
}

export async function limitsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values: Record<string, string> = {
    ...submitted(form, ["serviceName", "apiEndpoint", "maxValidityDays", "allowedAudiences"]),
    adminsMayDesignateSpoc: form.get("adminsMayDesignateSpoc") === "on" ? "on" : "",
    spocsMaySetJwksUri: form.get("spocsMaySetJwksUri") === "on" ? "on" : "",
    spocsMaySetLegacyAudience: form.get("spocsMaySetLegacyAudience") === "on" ? "on" : "",
  };
  return operatorAction({
    values,
    parse: () =>
      validate(
        platformLimitsInput,
        {
          serviceName: values.serviceName,
          apiEndpoint: values.apiEndpoint ?? "",
          maxValidityDays: values.maxValidityDays,
          allowedAudiences: (values.allowedAudiences ?? "").split(/[\s,]+/).filter(Boolean),
          adminsMayDesignateSpoc: values.adminsMayDesignateSpoc === "on",
          spocsMaySetJwksUri: values.spocsMaySetJwksUri === "on",
          spocsMaySetLegacyAudience: values.spocsMaySetLegacyAudience === "on",
        },
        values,
      ),
    run: async (caller, input) => {
      await updatePlatformSettings(await platformContextFor(caller), input);
      return "Platform limits saved.";
    },
    revalidate: "/platform",
  });
}

export async function designateSpocAction(organisationId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["email"]);
  return operatorAction({
    values,
    parse: () => {
      const parsed = validate(z.object({ email: emailField }), values, values);
      return parsed.ok && !z.uuid().safeParse(organisationId).success ? refuse("Unknown organisation.") : parsed;
    },
    run: async (caller, { email }) => {
      const { previous } = await designateSpoc(await platformContextFor(caller), { organisationId, email });
      return `${email} is now the designated user${previous ? `; ${previous} is a member` : ""}.`;
    },
    revalidate: "/platform",
  });
}

/** The operator's own token for the management API's operator endpoints (docs/domain.md, "The management API"). */
export async function createPlatformTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["name", "expiresInDays"]);
  return operatorAction({
    values,
    parse: () => validate(createPlatformApiTokenInput, values, values),
    run: async (caller, input) => {
      const token = await createPlatformApiToken(await platformContextFor(caller), input);
      return { message: "Platform token created. Copy it now: it will not be shown again.", value: token.value };
    },
    revalidate: "/platform",
  });
}

export async function revokePlatformTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return operatorAction({
    parse: () => validate(revokeApiTokenInput, { tokenId: form.get("tokenId") }),
    run: async (caller, input) => {
      await revokeApiToken(await getDb(), { ...(await actorFor(caller)), userId: caller.userId }, input.tokenId, new Date());
      return "Token revoked. Calls made with it are refused from now on.";
    },
    revalidate: "/platform",
  });
}
