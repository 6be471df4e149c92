"use client";

import { useEffect, useId, useRef, useState } from "react";
import { FormMessage } from "../../form-message";
import { SecretValue } from "../../secret-value";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";

/** What the dialog says about the secret that becomes the old one, already formatted for the organisation. */
export interface RotationFacts {
  oldMasked: string;
  oldExpiresOn: string;
  /** "4 minutes ago", or null when it was never used. */
  oldLastUsed: string | null;
  overlapEndsOn: string;
  overlapDays: number;
  /** YYYY-MM-DD bounds for the chosen day. */
  today: string;
  latestDay: string;
}

type Choice = "overlap" | "unchanged" | "until" | "revoke";

/**
 * Rotation as a guided step (docs/domain.md, "Client secrets"): a modal dialog (a native <dialog>:
 * labelled, focus kept inside, Esc closes, focus goes back to the button) that states the current
 * secret's expiry and last use and asks how long it keeps working. The new value is shown once;
 * until the person says they stored it, Rotate stays disabled and leaving the page asks first.
 */
export function RotateSecretDialog({
  clientId,
  clientName,
  showOnce,
  facts,
  blockedReason,
  action,
}: {
  clientId: string;
  clientName: string;
  showOnce: boolean;
  facts: RotationFacts | null;
  /** Set when no new secret can be issued now (two are live): the dialog says why and offers nothing else. */
  blockedReason: string | null;
  action: FormAction;
}) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const stored = useRef<HTMLDivElement>(null);
  const [choice, setChoice] = useState<Choice>("overlap");
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const unsaved = state.status === "success" && state.value !== undefined && acknowledged !== state.value;

  // A new value: close the dialog and put focus on the value, so nobody has to look for it.
  useEffect(() => {
    if (state.status === "success" && state.value) {
      dialog.current?.close();
      stored.current?.focus();
    }
  }, [state]);

  // Once stored, back to the button that can rotate again.
  useEffect(() => {
    if (acknowledged !== null) opener.current?.focus();
  }, [acknowledged]);

  // Leaving the page before the value is stored would lose it for good.
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsaved]);

  const error = (name: string) => (state.status === "error" ? state.fieldErrors?.[name] : undefined);
  const radio = (value: Choice, label: React.ReactNode, extra?: React.ReactNode) => (
    <div className="space-y-1">
      <label className="flex items-start gap-2">
        <input type="radio" name="oldSecret" value={value} checked={choice === value} onChange={() => setChoice(value)} className="mt-1" />
        <span>{label}</span>
      </label>
      {choice === value ? extra : null}
    </div>
  );

  return (
    <div className="space-y-2">
      <button
        ref={opener}
        type="button"
        className={buttons.primary}
        disabled={unsaved}
        aria-describedby={unsaved ? `${id}-unsaved` : undefined}
        onClick={() => {
          setChoice("overlap");
          dialog.current?.showModal();
        }}
      >
        Rotate secret<span className="sr-only"> of {clientName}</span>
      </button>
      {unsaved ? (
        <p id={`${id}-unsaved`} className="text-sm text-slate-700">
          Store the new secret and confirm below before rotating again.
        </p>
      ) : null}
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/50"
        onClose={() => opener.current?.focus()}
      >
        <form action={formAction} className="space-y-4 p-5" data-testid="rotate-form">
          <h2 id={`${id}-title`} className="text-lg font-semibold text-brand-900">
            Rotate the secret of {clientName}
          </h2>
          <input type="hidden" name="clientId" value={clientId} />
          {blockedReason ? null : (
            <div className="space-y-1">
              <label htmlFor={`${id}-label`} className="block text-sm font-semibold">
                Label for the new secret (optional)
              </label>
              <input
                id={`${id}-label`}
                name="label"
                maxLength={60}
                defaultValue={state.status === "error" ? state.values?.label : undefined}
                autoComplete="off"
                aria-invalid={error("label") ? true : undefined}
                aria-describedby={`${id}-label-note`}
                className="w-full rounded border border-slate-500 px-2 py-1 aria-[invalid]:border-red-700"
              />
              <p id={`${id}-label-note`} className={error("label") ? "text-sm text-red-800" : "text-sm text-slate-700"}>
                {error("label") ?? "To tell the two live secrets apart, e.g. where it is deployed."}
              </p>
            </div>
          )}
          {blockedReason ? (
            <p role="alert" className="rounded border-l-4 border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-950">
              {blockedReason}
            </p>
          ) : facts ? (
            <>
              <p>
                The current secret <code className="font-mono">{facts.oldMasked.slice(-8)}</code> expires on {facts.oldExpiresOn} and{" "}
                {facts.oldLastUsed ? `was last used ${facts.oldLastUsed}` : "has never been used"}. A new secret is issued now; both work
                until the current one ends.
              </p>
              <fieldset className="space-y-2">
                <legend className="font-semibold">How long should the current secret keep working?</legend>
                {radio(
                  "overlap",
                  <>
                    Until {facts.overlapEndsOn}, the end of the {facts.overlapDays}-day overlap{" "}
                    <span className="text-slate-700">(usual)</span>
                  </>,
                )}
                {radio("unchanged", <>Unchanged, until it expires on {facts.oldExpiresOn}</>)}
                {radio(
                  "until",
                  <>Until a day I choose</>,
                  <div className="ml-6 space-y-1">
                    <label htmlFor={`${id}-day`} className="block text-sm font-semibold">
                      Last day the current secret works
                    </label>
                    <input
                      id={`${id}-day`}
                      name="oldSecretLastDay"
                      type="date"
                      defaultValue={state.status === "error" ? state.values?.oldSecretLastDay : undefined}
                      min={facts.today}
                      max={facts.latestDay}
                      required
                      aria-invalid={error("oldSecretLastDay") ? true : undefined}
                      aria-describedby={`${id}-day-note`}
                      className="rounded border border-slate-500 px-2 py-1 aria-[invalid]:border-red-700"
                    />
                    <p id={`${id}-day-note`} className={error("oldSecretLastDay") ? "text-sm text-red-800" : "text-sm text-slate-700"}>
                      {error("oldSecretLastDay") ?? `From today to ${facts.oldExpiresOn}; it works until the end of that day.`}
                    </p>
                  </div>,
                )}
                {radio(
                  "revoke",
                  <>Revoke it now, because it leaked</>,
                  <div className="ml-6 space-y-1">
                    <p className="text-sm font-semibold text-red-900">Every system using the current secret is refused from that moment.</p>
                    <label htmlFor={`${id}-confirm`} className="block text-sm">
                      Type the client ID <code className="font-mono">{clientId}</code> to confirm
                    </label>
                    <input
                      id={`${id}-confirm`}
                      name="confirmation"
                      autoComplete="off"
                      defaultValue={state.status === "error" ? state.values?.confirmation : undefined}
                      aria-invalid={error("confirmation") ? true : undefined}
                      className="w-full rounded border border-slate-500 px-2 py-1 font-mono aria-[invalid]:border-red-700"
                    />
                  </div>,
                )}
              </fieldset>
            </>
          ) : (
            <p>This client has no live secret to keep: a new one is issued now.</p>
          )}
          {state.status === "error" ? <FormMessage state={state} /> : null}
          <div className="flex flex-wrap gap-2">
            {blockedReason ? null : (
              <SubmitButton className={choice === "revoke" ? buttons.danger : buttons.primary} pendingLabel="Issuing…">
                {choice === "revoke" ? "Revoke it and issue a new secret" : "Issue the new secret"}
              </SubmitButton>
            )}
            <button type="button" className={buttons.secondary} onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
      {state.status === "success" ? (
        <div ref={stored} tabIndex={-1} className="space-y-2 outline-none">
          <FormMessage state={state} />
          {unsaved && state.value ? (
            <>
              <SecretValue value={state.value} label={showOnce ? "Your new secret (shown only now)" : "Your new secret"} />
              <button type="button" className={buttons.secondary} onClick={() => setAcknowledged(state.value ?? null)}>
                I have stored it
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
