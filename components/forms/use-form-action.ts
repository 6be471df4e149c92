"use client";

import { useActionState, useCallback, useEffect, useRef } from "react";
import type { ActionState } from "@/lib/action-state";

/** A form's server action, with its organisation (or other ids) already bound by the page. */
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

// Defined here, not imported from lib/action-state.ts: that module is server code and stays out of the browser bundle.
const idle: ActionState = { status: "idle", message: null };

/**
 * The state the action last returned (message, field errors, values to keep) and the form's action.
 * After a refusal, focus moves to the first field marked invalid in the form that was sent, so a
 * keyboard or screen-reader user lands on what to fix (WCAG 3.3.1) instead of at the page top.
 */
export function useFormAction(action: FormAction) {
  const sentFrom = useRef<HTMLFormElement | null>(null);
  const tracked = useCallback(
    (state: ActionState, form: FormData) => {
      // The submit button that was pressed is still focused here: remember its form.
      sentFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement.closest("form") : null;
      return action(state, form);
    },
    [action],
  );
  const [state, formAction, pending] = useActionState(tracked, idle);
  useEffect(() => {
    if (state.status !== "error") return;
    const field = sentFrom.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.focus();
  }, [state]);
  return [state, formAction, pending] as const;
}
