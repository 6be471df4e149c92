import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { errorSummary, isDataException } from "@/lib/error-summary";
import { isDomainError } from "@/lib/errors";
import { logLine } from "@/lib/log/logger";

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

/**
 * Domain refusals become messages; Next's own control flow (notFound, forbidden, redirect) is
 * rethrown for Next to handle. Anything else is logged by its class and SQLSTATE only (a failed
 * query's message carries its parameters, and Next would log a rethrown error whole) and becomes a
 * plain message, never an error page: the database refusing a value (SQLSTATE class 22) is the
 * submitter's to fix, anything else is ours.
 */
export function fromError(error: unknown, values?: Record<string, string>, log: (line: string) => void = logLine("error")): ActionState {
  if (isDomainError(error)) {
    return { status: "error", message: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined, values };
  }
  unstable_rethrow(error);
  log(`server action: unexpected ${errorSummary(error)}`);
  return {
    status: "error",
    message: isDataException(error) ? UNSTORABLE_VALUE_MESSAGE : UNEXPECTED_ERROR_MESSAGE,
    values,
  };
}

export const UNSTORABLE_VALUE_MESSAGE = "A field holds a character that cannot be stored, such as a NUL; remove it and try again.";
export const UNEXPECTED_ERROR_MESSAGE = "Something went wrong on our side and the change may not have been made. Try again in a moment.";
