"use server";

import { submitted } from "@/lib/action-state";
import { operatorAction } from "@/lib/actions/caller-actions";
import { validate } from "@/lib/actions/form-action";
import type { Caller } from "@/lib/auth/caller";
import { operatorContextIn } from "@/lib/auth/organisation-context";
import { disableClient } from "@/lib/clients/disable-client";
import { enableClient } from "@/lib/clients/enable-client";
import { clientSwitchInput, updateClientSettingsInput } from "@/lib/clients/schemas";
import { updateClientSettings } from "@/lib/clients/update-client-settings";
import { getDb } from "@/lib/data/database";
import { findOrganisationOfClient } from "@/lib/data/organisations";
import { DomainError } from "@/lib/errors";
import { createClient } from "@/lib/organisations/create-client";
import { findOrganisationOrFail } from "@/lib/organisations/find-organisation";
import { createClientInput } from "@/lib/organisations/schemas";

/* The platform operator's client actions (operatorAction); each use case checks again. */

const SETTINGS_FIELDS = ["scopes", "audiences", "defaultAudience", "tokenTtlSeconds", "accessTokenAlg"];

/** The form's lists are typed as words separated by spaces, commas or new lines. */
const words = (value: string | undefined) => (value ?? "").split(/[\s,]+/).filter(Boolean);

function settingsValues(form: FormData): Record<string, string> {
  return { ...submitted(form, SETTINGS_FIELDS), legacyAudience: form.get("legacyAudience") === "on" ? "on" : "" };
}

function settingsFrom(values: Record<string, string>) {
  return {
    scopes: words(values.scopes),
    audiences: words(values.audiences),
    defaultAudience: values.defaultAudience,
    tokenTtlSeconds: values.tokenTtlSeconds,
    accessTokenAlg: values.accessTokenAlg,
    legacyAudience: values.legacyAudience === "on",
  };
}

async function inOrganisationOfClient(caller: Caller, clientId: string) {
  const organisation = await findOrganisationOfClient(await getDb(), clientId);
  if (!organisation) throw new DomainError("not_found", `There is no client ${clientId}.`);
  return operatorContextIn(caller, organisation);
}

export async function createClientAction(_prev: unknown, form: FormData) {
  const values = { ...submitted(form, ["organisation", "name"]), ...settingsValues(form) };
  return operatorAction({
    values,
    parse: () => validate(createClientInput, { name: values.name, ...settingsFrom(values) }, values),
    run: async (caller, input) => {
      if (!values.organisation) throw new DomainError("invalid", "Choose the organisation.", "organisation");
      const organisation = await findOrganisationOrFail(await getDb(), values.organisation);
      const { client } = await createClient(await operatorContextIn(caller, organisation), input);
      return `Created client ${client.clientId} "${client.name}" for ${organisation.name}. It has no secret yet: its designated user issues the first on the API tab.`;
    },
    revalidate: "/platform/clients",
  });
}

export async function updateClientAction(clientId: string, _prev: unknown, form: FormData) {
  const values = settingsValues(form);
  return operatorAction({
    values,
    parse: () => validate(updateClientSettingsInput, { clientId, ...settingsFrom(values) }, values),
    run: async (caller, input) => {
      await updateClientSettings(await inOrganisationOfClient(caller, input.clientId), input);
      return "Settings saved. The token endpoint uses them from the next request.";
    },
    revalidate: { path: "/platform/clients", type: "layout" },
  });
}

export async function disableClientAction(clientId: string) {
  return operatorAction({
    parse: () => validate(clientSwitchInput, { clientId }),
    run: async (caller, input) => {
      await disableClient(await inOrganisationOfClient(caller, input.clientId), input);
      return "Client disabled: the token endpoint now answers invalid_client.";
    },
    revalidate: { path: "/platform/clients", type: "layout" },
    announce: true,
  });
}

export async function enableClientAction(clientId: string) {
  return operatorAction({
    parse: () => validate(clientSwitchInput, { clientId }),
    run: async (caller, input) => {
      await enableClient(await inOrganisationOfClient(caller, input.clientId), input);
      return "Client enabled: its live secrets and keys work again.";
    },
    revalidate: { path: "/platform/clients", type: "layout" },
    announce: true,
  });
}
