"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { CheckboxField } from "../checkbox-field";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

export interface LimitsView {
  serviceName: string;
  apiEndpoint: string | null;
  maxValidityDays: number;
  allowedAudiences: string[];
  adminsMayDesignateSpoc: boolean;
  spocsMaySetJwksUri: boolean;
  spocsMaySetLegacyAudience: boolean;
}

/** The platform's limits every organisation's policy must keep to. */
export function LimitsForm({ action, limits }: { action: FormAction; limits: LimitsView }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const field = (name: string, label: string, options: { hint?: string; defaultValue: string; optional?: boolean }) => (
    <TextField
      formId={id}
      name={name}
      label={label}
      optional={options.optional}
      hint={options.hint}
      error={state.fieldErrors?.[name]}
      defaultValue={state.values?.[name] ?? options.defaultValue}
    />
  );
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        {field("serviceName", "Service name", { defaultValue: limits.serviceName })}
        {field("apiEndpoint", "API endpoint shown on the API tab", { defaultValue: limits.apiEndpoint ?? "", optional: true })}
        {field("maxValidityDays", "Maximum secret validity (days)", { defaultValue: String(limits.maxValidityDays) })}
        {field("allowedAudiences", "Allowed audiences", {
          defaultValue: limits.allowedAudiences.join(", "),
          hint: "Comma-separated absolute URIs.",
        })}
      </div>
      <CheckboxField
        formId={id}
        name="adminsMayDesignateSpoc"
        label="Organisation admins may designate their own designated user (SPOC)"
        defaultChecked={state.values ? state.values.adminsMayDesignateSpoc === "on" : limits.adminsMayDesignateSpoc}
      />
      <CheckboxField
        formId={id}
        name="spocsMaySetJwksUri"
        label="Designated users may set where their clients publish their keys (JWKS URL)"
        defaultChecked={state.values ? state.values.spocsMaySetJwksUri === "on" : limits.spocsMaySetJwksUri}
      />
      <CheckboxField
        formId={id}
        name="spocsMaySetLegacyAudience"
        label="Designated users may turn their clients' legacy aud switch (the token endpoint URL as assertion aud) on or off"
        defaultChecked={state.values ? state.values.spocsMaySetLegacyAudience === "on" : limits.spocsMaySetLegacyAudience}
      />
      <SubmitButton className={buttons.primary}>Save limits</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
