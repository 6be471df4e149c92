"use client";

import { useEffect, useId, useRef, useState } from "react";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { FormMessage } from "../form-message";
import { buttons } from "../forms/buttons";
import { SubmitButton } from "../forms/submit-button";
import { TextField } from "../forms/text-field";
import { type FormAction, useFormAction } from "../forms/use-form-action";
import { SecretValue } from "../secret-value";
import { WEBHOOK_EVENT_DESCRIPTIONS } from "./event-descriptions";

export interface EndpointFormDefaults {
  url: string;
  description: string | null;
  eventTypes: string[];
}

const NEW_ENDPOINT: EndpointFormDefaults = { url: "", description: null, eventTypes: [] };

/**
 * An endpoint's address, description and events: adds one (and then shows its signing secret,
 * once) or changes one. The events are checkboxes in a fieldset, with "All events" to tick or
 * clear them together; after a refusal what was typed and ticked comes back.
 */
export function EndpointForm({
  action,
  defaults = NEW_ENDPOINT,
  submitLabel,
}: {
  action: FormAction;
  defaults?: EndpointFormDefaults;
  submitLabel: string;
}) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const sentBack = state.values?.eventTypes;
  const initial = sentBack !== undefined ? sentBack.split(" ").filter(Boolean) : defaults.eventTypes;
  const [chosen, setChosen] = useState<string[]>(initial);
  const defaultsKey = defaults.eventTypes.join(" ");
  // A new answer (or the endpoint's saved events after a change) sets the boxes again: React resets the form after an action.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the answer or the saved events change.
  useEffect(() => {
    setChosen(sentBack !== undefined ? sentBack.split(" ").filter(Boolean) : defaultsKey.split(" ").filter(Boolean));
  }, [state, defaultsKey]);
  const all = useRef<HTMLInputElement>(null);
  const some = chosen.length > 0 && chosen.length < WEBHOOK_EVENT_TYPES.length;
  useEffect(() => {
    if (all.current) all.current.indeterminate = some;
  }, [some]);
  const eventsError = state.fieldErrors?.eventTypes;
  const toggle = (type: string, on: boolean) =>
    setChosen((now) => (on ? WEBHOOK_EVENT_TYPES.filter((t) => t === type || now.includes(t)) : now.filter((t) => t !== type)));
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <div className="grid gap-3 md:grid-cols-2">
        <TextField
          formId={id}
          name="url"
          label="Endpoint URL"
          type="url"
          autoComplete="off"
          hint="Where Rotor POSTs each event, signed: https://, such as https://hooks.example.com/rotor."
          error={state.fieldErrors?.url}
          defaultValue={state.values?.url ?? defaults.url}
        />
        <TextField
          formId={id}
          name="description"
          label="Description"
          optional
          hint="What receives the events, e.g. the rotation pipeline (up to 200 characters)."
          error={state.fieldErrors?.description}
          defaultValue={state.values?.description ?? defaults.description}
        />
      </div>
      <fieldset className="space-y-2" aria-describedby={eventsError ? `${id}-events-note` : undefined}>
        <legend className="text-sm font-semibold">Events to send</legend>
        {eventsError ? (
          <p id={`${id}-events-note`} className="text-xs font-semibold text-red-800">
            {eventsError}
          </p>
        ) : null}
        <div className="flex items-center gap-2">
          <input
            ref={all}
            id={`${id}-all`}
            type="checkbox"
            checked={chosen.length === WEBHOOK_EVENT_TYPES.length}
            onChange={(e) => setChosen(e.currentTarget.checked ? [...WEBHOOK_EVENT_TYPES] : [])}
            className="h-4 w-4"
          />
          <label htmlFor={`${id}-all`} className="text-sm font-semibold">
            All events
          </label>
        </div>
        <ul className="grid gap-2 border-l-2 border-slate-200 pl-4 lg:grid-cols-2">
          {WEBHOOK_EVENT_TYPES.map((type, i) => (
            <li key={type} className="flex items-start gap-2">
              <input
                id={`${id}-event-${type}`}
                name="eventTypes"
                value={type}
                type="checkbox"
                checked={chosen.includes(type)}
                onChange={(e) => toggle(type, e.currentTarget.checked)}
                aria-invalid={eventsError && i === 0 ? true : undefined}
                aria-describedby={`${id}-event-${type}-note`}
                className="mt-0.5 h-4 w-4 shrink-0"
              />
              <span>
                <label htmlFor={`${id}-event-${type}`} className="font-mono text-sm font-semibold">
                  {type}
                </label>
                <span id={`${id}-event-${type}-note`} className="block text-xs text-slate-700">
                  {WEBHOOK_EVENT_DESCRIPTIONS[type]}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </fieldset>
      <SubmitButton className={buttons.primary} pendingLabel="Saving…">
        {submitLabel}
      </SubmitButton>
      <FormMessage state={state} />
      {state.value ? <SecretValue value={state.value} label="Signing secret (shown once)" /> : null}
    </form>
  );
}
