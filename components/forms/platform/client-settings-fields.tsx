"use client";

import type { ActionState } from "@/lib/action-state";
import { CheckboxField } from "../checkbox-field";
import { TextField } from "../text-field";

/** A client's settings as the operator types them; the create and edit forms share these fields. */
export interface ClientSettingsDefaults {
  allowedScopes: string[];
  allowedAudiences: string[];
  defaultAudience: string | null;
  accessTokenTtlSeconds: number;
  accessTokenAlg: "ES256" | "RS256";
  legacyAudience: boolean;
}

export const NEW_CLIENT: ClientSettingsDefaults = {
  allowedScopes: [],
  allowedAudiences: [],
  defaultAudience: null,
  accessTokenTtlSeconds: 3600,
  accessTokenAlg: "ES256",
  legacyAudience: false,
};

export function ClientSettingsFields({ id, state, defaults }: { id: string; state: ActionState; defaults: ClientSettingsDefaults }) {
  const value = (name: string, fallback: string) => state.values?.[name] ?? fallback;
  const algError = state.fieldErrors?.accessTokenAlg;
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <TextField
        formId={id}
        name="scopes"
        label="Scopes"
        optional
        hint="Separated by spaces or commas, e.g. claims:read claims:write."
        error={state.fieldErrors?.scopes}
        defaultValue={value("scopes", defaults.allowedScopes.join(" "))}
      />
      <TextField
        formId={id}
        name="audiences"
        label="Audiences"
        optional
        hint="The APIs its tokens are for, separated by spaces or commas. None: the platform's own API."
        error={state.fieldErrors?.audiences}
        defaultValue={value("audiences", defaults.allowedAudiences.join(" "))}
      />
      <TextField
        formId={id}
        name="defaultAudience"
        label="Default audience"
        optional
        hint="One of the audiences: what a token request that names none gets. Needed when there are several."
        error={state.fieldErrors?.defaultAudience}
        defaultValue={value("defaultAudience", defaults.defaultAudience ?? "")}
      />
      <TextField
        formId={id}
        name="tokenTtlSeconds"
        label="Access-token lifetime (seconds)"
        type="number"
        min="60"
        max="86400"
        hint="60 to 86400 (a day)."
        error={state.fieldErrors?.tokenTtlSeconds}
        defaultValue={value("tokenTtlSeconds", String(defaults.accessTokenTtlSeconds))}
      />
      <div className="space-y-1">
        <label htmlFor={`${id}-accessTokenAlg`} className="block text-sm font-semibold">
          Access-token signing algorithm
        </label>
        <select
          // Remounted with what was sent: React's reset after an action does not restore a select's choice.
          key={value("accessTokenAlg", defaults.accessTokenAlg)}
          id={`${id}-accessTokenAlg`}
          name="accessTokenAlg"
          defaultValue={value("accessTokenAlg", defaults.accessTokenAlg)}
          aria-invalid={algError ? true : undefined}
          aria-describedby={algError ? `${id}-accessTokenAlg-note` : undefined}
          className="w-full rounded border border-slate-500 px-2 py-1"
        >
          <option value="ES256">ES256 (default)</option>
          <option value="RS256">RS256, for resource servers that need it</option>
        </select>
        {algError ? (
          <p id={`${id}-accessTokenAlg-note`} className="text-xs font-semibold text-red-800">
            {algError}
          </p>
        ) : null}
      </div>
      <CheckboxField
        formId={id}
        name="legacyAudience"
        label="Legacy assertion aud: also accept the token endpoint URL as a private_key_jwt assertion's aud"
        defaultChecked={state.values ? state.values.legacyAudience === "on" : defaults.legacyAudience}
        className="flex items-center gap-2 sm:col-span-2"
      />
    </div>
  );
}
