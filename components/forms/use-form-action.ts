"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/action-state";

/** A form's server action, with its organisation (or other ids) already bound by the page. */
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

// Defined here, not imported from lib/action-state.ts: that module is server code and stays out of the browser bundle.
const idle: ActionState = { status: "idle", message: null };

/** The state the action last returned (message, field errors, values to keep) and the form's action. */
export function useFormAction(action: FormAction) {
  return useActionState(action, idle);
}
