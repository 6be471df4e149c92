"use client";

import { useActionState, useEffect, useRef } from "react";
import type { ActionState } from "@/lib/action-state";

/** A form's server action, with its organisation (or other ids) already bound by the page. */
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

// Defined here, not imported from lib/action-state.ts: that module is server code and stays out of the browser bundle.
const idle: ActionState = { status: "idle", message: null };

/**
 * The state the action last returned (message, field errors, values to keep) and the form's action.
 * The server action goes to useActionState as it is, so forms still work before JavaScript loads.
 * After a refusal, focus moves to the first field marked invalid in the form that was sent, so a
 * keyboard or screen-reader user lands on what to fix (WCAG 3.3.1) instead of at the page top.
 */
export function useFormAction(action: FormAction) {
  const [state, formAction, pending] = useActionState(action, idle);
  const sentFrom = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    // The form a submission came from, whichever it was: the next refusal belongs to it.
    const remember = (event: SubmitEvent) => {
      if (event.target instanceof HTMLFormElement) sentFrom.current = event.target;
    };
    document.addEventListener("submit", remember, true);
    return () => document.removeEventListener("submit", remember, true);
  }, []);
  useEffect(() => {
    if (state.status !== "error") return;
    sentFrom.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);
  return [state, formAction, pending] as const;
}
