import { z } from "zod";

/**
 * The one rule for text that people and programs send us: it must be storable as it is.
 *
 * - U+0000 (NUL) cannot be stored in a Postgres `text` value at all: the server answers SQLSTATE
 *   22021 ("invalid byte sequence for encoding UTF8: 0x00"), so a NUL that reaches a query turns
 *   bad input into a failed query.
 * - A lone UTF-16 surrogate (half of an emoji, from JSON's "\ud83d" or a cut-off paste) has no
 *   UTF-8 encoding (RFC 3629 section 3): the driver would silently store U+FFFD instead, so
 *   the value read back would differ from the one accepted.
 *
 * Both are refused at the edge with a message that says what to do, before any other check.
 */

export const NUL_MESSAGE = "Remove the NUL character (U+0000): text cannot contain it.";
export const LONE_SURROGATE_MESSAGE =
  "Remove the broken character (half of an emoji or other symbol, an unpaired UTF-16 surrogate) and type or paste it again.";

/** What is wrong with `value` as storable text, or null when nothing is. */
export function unstorableTextProblem(value: string): string | null {
  if (value.includes("\u0000")) return NUL_MESSAGE;
  if (!value.isWellFormed()) return LONE_SURROGATE_MESSAGE;
  return null;
}

/**
 * A zod string that refuses unstorable text, for fields with a format of their own (e-mail
 * addresses, URIs, time zones): chain the format check after it.
 */
export function storableText(params?: { error?: string }): z.ZodString {
  // abort: the format checks that follow would only add a second, less useful message.
  return z
    .string(params?.error ? { error: params.error } : undefined)
    .refine((v) => !v.includes("\u0000"), { error: NUL_MESSAGE, abort: true })
    .refine((v) => v.isWellFormed(), { error: LONE_SURROGATE_MESSAGE, abort: true });
}

export interface TextFieldOptions {
  /** The message when the field is missing or, once trimmed, empty. Without it, empty text is allowed. */
  required?: string;
  /** The most characters allowed (after trimming). */
  max?: number;
  /** The message when it is longer than `max`. */
  tooLong?: string;
  /** Keep surrounding white space (a pasted PEM key); by default it is trimmed. */
  trim?: boolean;
}

/**
 * A free-text field (a name, an address line, a reason, a pasted key): storable text, trimmed,
 * with the form's own messages for "missing" and "too long".
 */
export function textField(options: TextFieldOptions = {}): z.ZodString {
  let schema = storableText(options.required ? { error: options.required } : undefined);
  if (options.trim !== false) schema = schema.trim();
  if (options.required) schema = schema.min(1, { error: options.required });
  if (options.max !== undefined) {
    schema = schema.max(options.max, { error: options.tooLong ?? `Keep this under ${options.max} characters.` });
  }
  return schema;
}
