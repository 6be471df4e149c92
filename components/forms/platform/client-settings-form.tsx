"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";
import { type ClientSettingsDefaults, ClientSettingsFields } from "./client-settings-fields";

/** The platform operator edits a client's settings; the token endpoint follows from the next request. */
export function ClientSettingsForm({ action, settings }: { action: FormAction; settings: ClientSettingsDefaults }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <ClientSettingsFields id={id} state={state} defaults={settings} />
      <SubmitButton className={buttons.primary}>Save settings</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
