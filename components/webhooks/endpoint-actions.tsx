"use client";

import { useId } from "react";
import { FormMessage } from "../form-message";
import { buttons } from "../forms/buttons";
import { ConfirmedForm } from "../forms/confirmed-form";
import { SubmitButton } from "../forms/submit-button";
import { TextField } from "../forms/text-field";
import { type FormAction, useFormAction } from "../forms/use-form-action";
import { SecretValue } from "../secret-value";

/*
 * The buttons of a webhook endpoint's page. Each form's endpoint (and delivery) is bound into its
 * action by the page; what harms (a new secret, turning off, deleting) asks first.
 */

/** A new signing secret; the old one signs alongside it for the overlap chosen (0: stops at once). */
export function RotateSigningSecretForm({
  action,
  defaultOverlapHours,
  maxOverlapHours,
}: {
  action: FormAction;
  defaultOverlapHours: number;
  /** lib/webhooks/policy.ts's, handed in by the page: that module is server code (it reaches node:dns). */
  maxOverlapHours: number;
}) {
  const id = useId();
  return (
    <ConfirmedForm
      action={action}
      trigger="Rotate signing secret"
      triggerClass={buttons.secondary}
      submitLabel="Issue a new signing secret"
      submitClass={buttons.primary}
      noValidate
      after={(state) => (state.value ? <SecretValue value={state.value} label="New signing secret (shown once)" /> : null)}
    >
      {(state) => (
        <>
          <p className="text-sm text-slate-900">
            Rotor issues a new signing secret and shows it once. Until the overlap ends, every delivery carries a signature by the old
            secret and one by the new, so your receiver can move to the new secret without refusing an event.
          </p>
          <TextField
            formId={id}
            name="overlapHours"
            label="Overlap in hours"
            type="number"
            min={0}
            max={maxOverlapHours}
            hint={`How long the old secret keeps signing: up to ${maxOverlapHours} hours (a week). 0 stops it at once, after a leak.`}
            error={state.fieldErrors?.overlapHours}
            defaultValue={state.values?.overlapHours ?? String(defaultOverlapHours)}
            className="w-32 rounded border border-slate-500 px-2 py-1"
          />
        </>
      )}
    </ConfirmedForm>
  );
}

/** Stops sending to the endpoint until it is turned on again. */
export function TurnOffEndpointForm({ action }: { action: FormAction }) {
  return (
    <ConfirmedForm action={action} trigger="Turn off" triggerContext="this endpoint" submitLabel="Yes, turn it off">
      <p className="text-sm text-red-900">
        Events recorded while the endpoint is off are not sent to it, even after it is turned on again. Deliveries already waiting wait.
      </p>
    </ConfirmedForm>
  );
}

export function TurnOnEndpointForm({ action }: { action: FormAction }) {
  const [state, formAction] = useFormAction(action);
  return (
    <form action={formAction} className="space-y-2">
      <SubmitButton className={buttons.primary}>
        Turn on<span className="sr-only"> this endpoint</span>
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function DeleteEndpointForm({ action, url }: { action: FormAction; url: string }) {
  return (
    <ConfirmedForm action={action} trigger="Delete endpoint" submitLabel="Yes, delete it">
      <p className="text-sm text-red-900">
        Delete <code className="break-all font-mono">{url}</code>? Nothing more is sent to it, and its signing secrets and delivery log are
        deleted with it. This cannot be undone.
      </p>
    </ConfirmedForm>
  );
}

/** Sends a webhook.test event now and says how the receiver answered. */
export function SendTestEventForm({ action, disabledReason }: { action: FormAction; disabledReason: string | null }) {
  const [state, formAction] = useFormAction(action);
  return (
    <form action={formAction} className="space-y-2">
      {disabledReason ? (
        <p className="text-sm text-slate-700">{disabledReason}</p>
      ) : (
        <SubmitButton className={buttons.secondary} pendingLabel="Sending test event…">
          Send test event
        </SubmitButton>
      )}
      <div data-testid="test-event-result">
        {/* Sent, but refused or unanswered: said as an alert, the receiver being what to fix. */}
        <FormMessage state={state.values?.outcome === "failed" ? { ...state, status: "error" } : state} />
      </div>
    </form>
  );
}

/** Sends one delivery again: the same event and webhook-id, so the receiver can tell it has it. */
export function ReplayDeliveryForm({ action, what }: { action: FormAction; what: string }) {
  const [state, formAction] = useFormAction(action);
  return (
    // relative: the button's screen-reader-only words are positioned inside the form, so they stay in the table's scroll area instead of widening a phone's page.
    <form action={formAction} className="relative space-y-1">
      <SubmitButton className={buttons.secondaryCompact} pendingLabel="Sending…">
        Replay<span className="sr-only"> {what}</span>
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
