"use server";

import { type ActionState, submitted } from "@/lib/action-state";
import { organisationAction, sensitiveOrganisationAction } from "@/lib/actions/caller-actions";
import { refuse, validate } from "@/lib/actions/form-action";
import { credentialContextFor } from "@/lib/auth/credential-context";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import {
  parseDayList,
  registerKeyInput,
  revealSecretInput,
  revokeKeyInput,
  revokeSecretInput,
  rotateSecretInput,
  rotationPolicyInput,
  setJwksUriInput,
  setLegacyAudienceInput,
} from "@/lib/credentials/schemas";
import { setJwksUri } from "@/lib/credentials/set-jwks-uri";
import { setLegacyAudience } from "@/lib/credentials/set-legacy-audience";
import { updateRotationPolicy } from "@/lib/credentials/update-rotation-policy";
import { DomainError } from "@/lib/errors";
import { describeKeyType } from "@/lib/format";
import { formatCalendarDate } from "@/lib/rotation/calendar";
import { expiryDateOf } from "@/lib/rotation/secret-state";

/*
 * Every action parses its input, authorizes the caller for this organisation itself (a forged
 * call from an admin meets forbidden() here, and the use case checks again), then calls one use
 * case (lib/actions/form-action.ts). Secret values go back only in the response to the person who
 * asked. Revealing, rotating, revoking and registering a key also need a recent sign-in
 * (sensitiveOrganisationAction, docs/security.md "Step-up before dangerous actions").
 */

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
};
const wholeOrganisation = (org: string) => ({ path: `/orgs/${org}`, type: "layout" as const });
const apiTab = (org: string) => `/orgs/${org}/manage/api`;

export async function rotateSecretAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  // Handed back with a refusal, so a mistyped confirmation can be corrected rather than retyped.
  const values = submitted(form, ["confirmation", "label", "oldSecretLastDay"]);
  return sensitiveOrganisationAction(org, "credentials.rotate", apiTab(org), {
    values,
    parse: () =>
      validate(
        rotateSecretInput,
        {
          clientId: text(form, "clientId"),
          compromised: form.get("compromised") === "true",
          oldSecret: text(form, "oldSecret"),
          oldSecretLastDay: text(form, "oldSecretLastDay"),
          label: text(form, "label"),
        },
        values,
      ),
    run: async (access, input) => {
      const revokesAll = input.compromised || input.oldSecret === "revoke";
      if (revokesAll && text(form, "confirmation") !== input.clientId) {
        throw new DomainError("invalid", "Type the client ID exactly to confirm.", "confirmation");
      }
      const result = await rotateSecret(await credentialContextFor(access), input);
      const showOnce = access.organisation.secretRevealPolicy === "show_once";
      const { locale, timeZone } = access.organisation;
      const oldEnds = result.previousSecretEndsAt
        ? ` The old secret works until the end of ${formatCalendarDate(expiryDateOf(result.previousSecretEndsAt, timeZone), locale)}.`
        : "";
      return {
        message: revokesAll
          ? "New secret issued and every older secret revoked. Systems using an old secret are refused from now on."
          : showOnce
            ? `New secret issued. Copy it now: under your organisation's show-once policy it will not be shown again.${oldEnds}`
            : `New secret issued.${oldEnds}`,
        value: result.secret.value,
      };
    },
    revalidate: wholeOrganisation(org),
  });
}

export async function revokeSecretAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOrganisationAction(org, "credentials.rotate", apiTab(org), {
    parse: () =>
      validate(revokeSecretInput, {
        clientId: text(form, "clientId"),
        secretId: text(form, "secretId"),
        confirmClientId: text(form, "confirmClientId"),
      }),
    run: async (access, input) => {
      await revokeSecret(await credentialContextFor(access), input);
      return "Secret revoked. Systems still using it are refused from now on.";
    },
    announce: true,
    revalidate: wholeOrganisation(org),
  });
}

export async function revealSecretAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOrganisationAction(org, "secrets.reveal", apiTab(org), {
    parse: () => validate(revealSecretInput, { clientId: text(form, "clientId"), secretId: text(form, "secretId") }),
    run: async (access, input) => {
      const { value } = await revealSecret(await credentialContextFor(access), input);
      return { message: "This reveal has been recorded in the activity log.", value };
    },
    revalidate: apiTab(org),
  });
}

export async function registerKeyAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["key", "kid", "expiresOn", "label"]);
  return sensitiveOrganisationAction(org, "credentials.rotate", apiTab(org), {
    values,
    parse: () =>
      validate(
        registerKeyInput,
        {
          clientId: text(form, "clientId"),
          key: text(form, "key") ?? "",
          kid: text(form, "kid"),
          expiresOn: text(form, "expiresOn"),
          label: text(form, "label"),
        },
        values,
      ),
    run: async (access, input) => {
      const key = await registerPublicKey(await credentialContextFor(access), input);
      return `Key registered (${describeKeyType(key.type, key.bits)}, kid ${key.kid}).`;
    },
    revalidate: apiTab(org),
  });
}

export async function revokeKeyAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOrganisationAction(org, "credentials.rotate", apiTab(org), {
    parse: () => validate(revokeKeyInput, { clientId: text(form, "clientId"), keyId: text(form, "keyId") }),
    run: async (access, input) => {
      await revokePublicKey(await credentialContextFor(access), input);
      return "Key revoked. Assertions signed with it are refused from now on.";
    },
    announce: true,
    revalidate: apiTab(org),
  });
}

export async function updatePolicyAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = {
    ...submitted(form, ["validityDays", "overlapDays", "reminderOffsets", "secretRevealPolicy"]),
    autoIssue: form.get("autoIssue") === "on" ? "on" : "",
  };
  return organisationAction(org, "policy.manage", {
    values,
    parse: () => {
      const offsets = parseDayList(String(form.get("reminderOffsets") ?? ""));
      if (typeof offsets === "string") return refuse(offsets, { field: "reminderOffsets", values });
      return validate(
        rotationPolicyInput,
        {
          validityDays: text(form, "validityDays"),
          overlapDays: text(form, "overlapDays"),
          reminderOffsets: offsets,
          autoIssue: form.get("autoIssue") === "on",
          secretRevealPolicy: text(form, "secretRevealPolicy"),
        },
        values,
      );
    },
    run: async (access, input) => {
      await updateRotationPolicy(await credentialContextFor(access), input);
      return "Rotation policy saved. It applies to secrets issued from now on.";
    },
    revalidate: wholeOrganisation(org),
  });
}

export async function setJwksUriAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["jwksUri"]);
  const remove = form.get("remove") === "true";
  return sensitiveOrganisationAction(org, "credentials.rotate", apiTab(org), {
    values,
    parse: () =>
      validate(setJwksUriInput, { clientId: text(form, "clientId"), jwksUri: remove ? null : (text(form, "jwksUri") ?? "") }, values),
    run: async (access, input) => {
      if (input.jwksUri === "") throw new DomainError("invalid", "Give the JWKS URL, or remove it.", "jwksUri");
      const { jwksUri } = await setJwksUri(await credentialContextFor(access), input);
      return jwksUri
        ? "JWKS URL saved. Rotor fetches it at the next assertion that names one of its keys."
        : "JWKS URL removed. Only the registered keys are accepted from now on.";
    },
    announce: remove,
    revalidate: apiTab(org),
  });
}

export async function setLegacyAudienceAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOrganisationAction(org, "credentials.rotate", apiTab(org), {
    parse: () =>
      validate(setLegacyAudienceInput, { clientId: text(form, "clientId"), legacyAudience: form.get("legacyAudience") === "on" }),
    run: async (access, input) => {
      const { legacyAudience } = await setLegacyAudience(await credentialContextFor(access), input);
      return legacyAudience
        ? "Legacy aud switch on: assertions may also name the token endpoint URL as aud."
        : "Legacy aud switch off: assertions must name the issuer identifier as aud.";
    },
    revalidate: apiTab(org),
  });
}
