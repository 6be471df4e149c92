"use client";

import { useActionState, useId } from "react";
import type { ActionState } from "@/lib/action-state";
import { FormMessage } from "./form-message";

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
const idle: ActionState = { status: "idle", message: null };
const inputClass = "w-full rounded border border-slate-500 px-2 py-1";

function useField(state: ActionState, id: string) {
  return (name: string, label: string, options: { hint?: string; defaultValue?: string; optional?: boolean; type?: string } = {}) => {
    const error = state.fieldErrors?.[name];
    const note = error ?? options.hint;
    return (
      <div className="space-y-1">
        <label htmlFor={`${id}-${name}`} className="block text-sm font-semibold">
          {label}
          {options.optional ? " (optional)" : ""}
        </label>
        <input
          id={`${id}-${name}`}
          name={name}
          type={options.type ?? "text"}
          defaultValue={state.values?.[name] ?? options.defaultValue}
          aria-invalid={error ? true : undefined}
          aria-describedby={note ? `${id}-${name}-note` : undefined}
          className={inputClass}
        />
        {note ? (
          <p id={`${id}-${name}-note`} className={`text-xs ${error ? "font-semibold text-red-800" : "text-slate-700"}`}>
            {note}
          </p>
        ) : null}
      </div>
    );
  };
}

export function OnboardForm({ action, maxValidityDays }: { action: Action; maxValidityDays: number }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const field = useField(state, id);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-1 font-semibold">Organisation</legend>
        {field("name", "Name")}
        {field("slug", "URL name", { optional: true, hint: "Lower-case letters, digits and hyphens; made from the name if empty." })}
        {field("timeZone", "Time zone", {
          defaultValue: "Europe/London",
          hint: "Calendar days (expiry, reminders) count here, e.g. Asia/Kolkata.",
        })}
        {field("locale", "Date format", { defaultValue: "en-GB", hint: "en-GB shows DD/MM/YYYY." })}
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="mb-1 font-semibold">Rotation policy</legend>
        {field("validityDays", "Validity (days)", { defaultValue: "180", hint: `Up to ${maxValidityDays}.` })}
        {field("overlapDays", "Overlap (days)", { defaultValue: "30" })}
        {field("reminderOffsets", "Reminders (days before expiry)", { defaultValue: "30, 20, 10, 5, 3, 0" })}
        <div className="flex items-center gap-2">
          <input
            id={`${id}-auto`}
            name="autoIssue"
            type="checkbox"
            defaultChecked={state.values ? state.values.autoIssue === "on" : false}
            className="h-4 w-4"
          />
          <label htmlFor={`${id}-auto`} className="text-sm">
            Issue the next secret automatically
          </label>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-reveal`} className="block text-sm font-semibold">
            Showing secrets
          </label>
          <select
            id={`${id}-reveal`}
            name="secretRevealPolicy"
            defaultValue={state.values?.secretRevealPolicy ?? "reveal"}
            className={inputClass}
          >
            <option value="reveal">Admins may reveal live secrets (audited)</option>
            <option value="show_once">Show once, at creation</option>
          </select>
        </div>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-1 font-semibold">First people</legend>
        {field("adminEmail", "Admin's e-mail address")}
        {field("adminName", "Admin's name", { optional: true })}
        {field("spocEmail", "Designated user's e-mail address", {
          hint: "A service account address the organisation controls is best (seed 001).",
        })}
        {field("spocName", "Designated user's name", { optional: true })}
      </fieldset>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
      >
        Onboard organisation
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export interface LimitsView {
  serviceName: string;
  apiEndpoint: string | null;
  maxValidityDays: number;
  allowedAudiences: string[];
  adminsMayDesignateSpoc: boolean;
}

export function LimitsForm({ action, limits }: { action: Action; limits: LimitsView }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const field = useField(state, id);
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
      <div className="flex items-center gap-2">
        <input
          id={`${id}-spoc`}
          name="adminsMayDesignateSpoc"
          type="checkbox"
          defaultChecked={state.values ? state.values.adminsMayDesignateSpoc === "on" : limits.adminsMayDesignateSpoc}
          className="h-4 w-4"
        />
        <label htmlFor={`${id}-spoc`} className="text-sm">
          Organisation admins may designate their own designated user (SPOC)
        </label>
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
      >
        Save limits
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function DesignateSpocForm({ action, organisation }: { action: Action; organisation: string }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const error = state.fieldErrors?.email;
  return (
    <form action={formAction} className="space-y-1" noValidate>
      <label htmlFor={`${id}-email`} className="sr-only">
        New designated user of {organisation}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          placeholder="e-mail address"
          defaultValue={state.values?.email}
          aria-invalid={error ? true : undefined}
          className="min-w-48 flex-1 rounded border border-slate-500 px-2 py-1 text-sm"
        />
        <button
          type="submit"
          disabled={pending}
          className="rounded border border-brand-700 px-2 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50"
        >
          Designate
        </button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
