import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { z } from "zod";
import { type ActionState, fromError, fromZodError } from "@/lib/action-state";
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from "@/lib/log/request-context";
import { deliverWebhooksSoon } from "@/lib/webhooks/deliver-soon";
import { setNotice } from "./notice";

/*
 * The one shape of a form's server action: parse, authenticate and authorize, call one use case,
 * turn a refusal into the form's message, revalidate. Each action still states its own schema
 * and its own permission (docs/security.md: every action authorizes the caller for itself; the
 * use case checks again), so nothing is allowed by default.
 */

/** What parsing a form gave: the use case's input, or the state to show instead. */
export type Parsed<T> = { ok: true; data: T } | { ok: false; state: ActionState };

/** Checks `raw` against `schema`; a failure is one message per field, with what was typed handed back. */
export function validate<S extends z.ZodType>(schema: S, raw: unknown, values?: Record<string, string>): Parsed<z.output<S>> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, state: fromZodError(parsed.error, values) };
}

/** Input that needs no schema (an id already checked, a flag from the page). */
export function accept<T>(data: T): Parsed<T> {
  return { ok: true, data };
}

/** Input refused before anything is looked up: a message, on `field` too when there is one. */
export function refuse(message: string, options: { field?: string; values?: Record<string, string> } = {}): Parsed<never> {
  const state: ActionState = { status: "error", message };
  if (options.field) state.fieldErrors = { [options.field]: message };
  if (options.values) state.values = options.values;
  return { ok: false, state };
}

/** What a use case's success says: a message, and perhaps a value shown once or the fields to keep. */
export type Outcome = string | { message: string; value?: string; values?: Record<string, string> };

export interface FormActionSpec<Input, Caller> {
  /** Runs first: input that cannot be valid is answered without looking anyone up. */
  parse: () => Parsed<Input>;
  /** Who asks and whether they may: redirect(), notFound() or forbidden() when not (Next handles those). */
  authorize: () => Promise<Caller>;
  /** Calls the one use case; a DomainError it throws becomes the form's message. */
  run: (caller: Caller, input: Input) => Promise<Outcome>;
  /** What was typed, handed back with a refusal so nobody retypes it. Never a secret. */
  values?: Record<string, string>;
  /** The page (or, with "layout", the pages under it) whose data the change altered. */
  revalidate?: string | { path: string; type: "layout" | "page" };
  /** Also announce the result page-wide (lib/actions/notice.ts): for changes that remove the row their form is in. */
  announce?: boolean;
}

/**
 * The request id proxy.ts gave this server action's POST (docs/observability.md), so the action's
 * log lines carry it like a machine path's; a new one where there is no request (a test).
 */
async function actionRequestId(): Promise<string> {
  try {
    return requestIdFrom((await headers()).get(REQUEST_ID_HEADER));
  } catch {
    return requestIdFrom(null);
  }
}

export async function formAction<Input, Caller>(spec: FormActionSpec<Input, Caller>): Promise<ActionState> {
  return withRequestId(await actionRequestId(), () => runFormAction(spec));
}

async function runFormAction<Input, Caller>(spec: FormActionSpec<Input, Caller>): Promise<ActionState> {
  const parsed = spec.parse();
  if (!parsed.ok) return parsed.state;
  const caller = await spec.authorize();
  let outcome: Outcome;
  try {
    outcome = await spec.run(caller, parsed.data);
  } catch (error) {
    // Domain refusals become messages; notFound(), forbidden() and redirect() are rethrown (lib/action-state.ts).
    return fromError(error, spec.values);
  }
  // A change may have recorded webhook events: send them now rather than at the next scheduler run.
  deliverWebhooksSoon();
  if (typeof spec.revalidate === "string") revalidatePath(spec.revalidate);
  else if (spec.revalidate) revalidatePath(spec.revalidate.path, spec.revalidate.type);
  if (spec.announce) await setNotice(typeof outcome === "string" ? outcome : outcome.message);
  return typeof outcome === "string" ? { status: "success", message: outcome } : { status: "success", ...outcome };
}
