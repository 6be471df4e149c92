"use client";

import { useActionState, useId, useState } from "react";
import type { ActionState } from "@/lib/action-state";
import { Confirm } from "./confirm";
import { FormMessage } from "./form-message";

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
const idle: ActionState = { status: "idle", message: null };
const primary = "rounded bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800 disabled:opacity-60";
const dangerOutline = "whitespace-nowrap rounded border border-red-700 px-3 py-1 text-sm font-semibold text-red-800 hover:bg-red-50";
const input = "w-full rounded border border-slate-500 px-2 py-1";

export interface OfficeView {
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  town: string;
  postcode: string;
  country: string;
  phone: string | null;
}

function Field({
  id,
  name,
  label,
  error,
  hint,
  defaultValue,
  required,
}: {
  id: string;
  name: string;
  label: string;
  error?: string;
  hint?: string;
  defaultValue?: string | null;
  required?: boolean;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={`${id}-${name}`} className="block text-sm font-semibold">
        {label}
        {required ? "" : " (optional)"}
      </label>
      <input
        id={`${id}-${name}`}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-${name}-note` : undefined}
        className={input}
      />
      {error || hint ? (
        <p id={`${id}-${name}-note`} className={`text-xs ${error ? "font-semibold text-red-800" : "text-slate-700"}`}>
          {error ?? hint}
        </p>
      ) : null}
    </div>
  );
}

export function OfficeForm({ action, office, submitLabel }: { action: Action; office?: OfficeView; submitLabel: string }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const e = state.fieldErrors ?? {};
  const v = state.values ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={id} name="name" label="Office name" error={e.name} defaultValue={v.name ?? office?.name} required />
        <Field id={id} name="phone" label="Phone" error={e.phone} defaultValue={v.phone ?? office?.phone} />
        <Field
          id={id}
          name="addressLine1"
          label="Address line 1"
          error={e.addressLine1}
          defaultValue={v.addressLine1 ?? office?.addressLine1}
          required
        />
        <Field
          id={id}
          name="addressLine2"
          label="Address line 2"
          error={e.addressLine2}
          defaultValue={v.addressLine2 ?? office?.addressLine2}
        />
        <Field id={id} name="town" label="Town or city" error={e.town} defaultValue={v.town ?? office?.town} required />
        <Field id={id} name="postcode" label="Postcode" error={e.postcode} defaultValue={v.postcode ?? office?.postcode} required />
        <Field
          id={id}
          name="country"
          label="Country code"
          error={e.country}
          hint="Two letters, e.g. GB or IN."
          defaultValue={v.country ?? office?.country ?? "GB"}
          required
        />
      </div>
      <button type="submit" className={primary} disabled={pending}>
        {submitLabel}
      </button>
      <FormMessage state={state} />
    </form>
  );
}

/** A one-button action behind a confirmation that says what will happen. */
export function ConfirmedAction({
  action,
  label,
  confirmLabel,
  warning,
}: {
  action: Action;
  label: string;
  confirmLabel: string;
  warning: string;
}) {
  const [state, formAction, pending] = useActionState(action, idle);
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-2">
      <Confirm trigger={label} triggerClass={dangerOutline} open={open} setOpen={setOpen}>
        <form action={formAction} className="space-y-2">
          <p className="text-sm text-red-900">{warning}</p>
          <button
            type="submit"
            disabled={pending}
            className="rounded bg-red-700 px-3 py-1 text-sm font-semibold text-white hover:bg-red-800"
          >
            {confirmLabel}
          </button>
        </form>
      </Confirm>
      <FormMessage state={state} />
    </div>
  );
}

/** A harmless one-button action (reopen, re-activate). */
export function SimpleAction({ action, label }: { action: Action; label: string }) {
  const [state, formAction, pending] = useActionState(action, idle);
  return (
    <form action={formAction} className="space-y-2">
      <button
        type="submit"
        disabled={pending}
        className="rounded border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50"
      >
        {label}
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function InviteUserForm({ action, roles }: { action: Action; roles: { value: string; label: string }[] }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const e = state.fieldErrors ?? {};
  const v = state.values ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          id={id}
          name="email"
          label="E-mail address"
          error={e.email}
          hint="They sign in with this address."
          defaultValue={v.email}
          required
        />
        <Field id={id} name="name" label="Name" error={e.name} defaultValue={v.name} />
        <div className="space-y-1">
          <label htmlFor={`${id}-role`} className="block text-sm font-semibold">
            Role
          </label>
          <select
            id={`${id}-role`}
            name="role"
            defaultValue={v.role ?? "member"}
            aria-invalid={e.role ? true : undefined}
            className={input}
          >
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          {e.role ? <p className="text-xs font-semibold text-red-800">{e.role}</p> : null}
        </div>
      </div>
      <button type="submit" className={primary} disabled={pending}>
        Invite
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function RoleForm({
  action,
  current,
  roles,
  person,
}: {
  action: Action;
  current: string;
  roles: { value: string; label: string }[];
  person: string;
}) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <label htmlFor={`${id}-role`} className="sr-only">
        Role of {person}
      </label>
      <select id={`${id}-role`} name="role" defaultValue={current} className="rounded border border-slate-500 px-2 py-1 text-sm">
        {roles.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={pending}
        className="rounded border border-brand-700 px-2 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50"
      >
        Save role
      </button>
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
