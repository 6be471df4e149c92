import type { z } from "zod";
import { isDomainError } from "@/lib/errors";

/** What a form's server action returns: a message to show, field errors, and (once) a revealed value. */
export interface ActionState {
  status: "idle" | "success" | "error";
  message: string | null;
  fieldErrors?: Record<string, string>;
  /** A new or revealed secret/token value: shown once by the form that asked, never stored client-side. */
  value?: string;
}

export const idle: ActionState = { status: "idle", message: null };

export function fromZodError(error: z.ZodError): ActionState {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    fieldErrors[key] ??= issue.message;
  }
  return { status: "error", message: "Please correct the highlighted fields.", fieldErrors };
}

/** Domain refusals become messages; anything else is rethrown (Next's notFound/forbidden included). */
export function fromError(error: unknown): ActionState {
  if (isDomainError(error)) {
    return { status: "error", message: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
  }
  throw error;
}
