import type { z } from "zod";
import { isDomainError } from "@/lib/errors";

/** What a form's server action returns: a message to show, field errors, and (once) a revealed value. */
export interface ActionState {
  status: "idle" | "success" | "error";
  message: string | null;
  fieldErrors?: Record<string, string>;
  /** A new or revealed secret/token value: shown once by the form that asked, never stored client-side. */
  value?: string;
  /**
   * What was submitted, returned with an error: React resets a form after its action, so fields
   * take these as their defaults and nobody retypes anything. Never a secret.
   */
  values?: Record<string, string>;
}

/** The submitted text fields, for handing back with an error. */
export function submitted(form: FormData, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, typeof form.get(n) === "string" ? String(form.get(n)) : ""]));
}

export const idle: ActionState = { status: "idle", message: null };

export function fromZodError(error: z.ZodError, values?: Record<string, string>): ActionState {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    fieldErrors[key] ??= issue.message;
  }
  return { status: "error", message: "Please correct the highlighted fields.", fieldErrors, values };
}

/** Domain refusals become messages; anything else is rethrown (Next's notFound/forbidden included). */
export function fromError(error: unknown, values?: Record<string, string>): ActionState {
  if (isDomainError(error)) {
    return { status: "error", message: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined, values };
  }
  throw error;
}
