/**
 * Unexpected errors, described for a log line without anything a caller sent. drizzle's
 * DrizzleQueryError message is "Failed query: <sql>\nparams: <values>" (node_modules/drizzle-orm/
 * errors.js), and those values are client IDs, e-mail addresses, digests or whatever text arrived,
 * so such a message is never logged: only the class of the error and, for a database error, its
 * SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */

const MAX_CAUSES = 5;

function chain(error: unknown): unknown[] {
  const errors: unknown[] = [];
  let current = error;
  while (current !== null && current !== undefined && errors.length < MAX_CAUSES) {
    errors.push(current);
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return errors;
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  // Only codes that look like codes (SQLSTATE 22021, ECONNREFUSED, CONNECT_TIMEOUT): nothing free-form.
  return typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : undefined;
}

/** The Postgres SQLSTATE of a driver error, or of the driver error drizzle wraps as the cause. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const e of chain(error)) {
    const code = codeOf(e);
    // Every class in the appendix starts with a digit, F, H, P or X (so EPIPE is not taken for one).
    if (code && /^[0-9FHPX][0-9A-Z]{4}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * SQLSTATE class 22, "data exception": the database refused a value itself (22021 is a NUL byte
 * in text, 22P02 an unparsable number or UUID). That is bad input, never a fault of ours.
 */
export function isDataException(error: unknown): boolean {
  return sqlStateOf(error)?.startsWith("22") ?? false;
}

function isFailedQuery(error: unknown): boolean {
  return typeof error === "object" && error !== null && "query" in error && "params" in error;
}

function className(error: unknown): string {
  if (isFailedQuery(error)) return "DrizzleQueryError";
  if (!(error instanceof Error)) return typeof error;
  if (error.name && error.name !== "Error") return error.name;
  return error.constructor.name || "Error";
}

/** "DrizzleQueryError (code 22021)": the error's class and the first code in its causes. Never a message. */
export function errorSummary(error: unknown): string {
  const code =
    sqlStateOf(error) ??
    chain(error)
      .map(codeOf)
      .find((c) => c !== undefined);
  return code ? `${className(error)} (code ${code})` : className(error);
}

/**
 * For a message an operator reads (at start-up, from a script): the error's own message, which
 * says what to fix, unless it comes from the database: a failed query's message carries its
 * parameters, and a Postgres message can quote a value (22P02 quotes the text it could not parse).
 */
export function operatorMessage(error: unknown): string {
  const state = sqlStateOf(error);
  if (state && CONFIGURATION_CLASSES.has(state.slice(0, 2))) {
    // Connection, authentication and "no such database" messages name settings, not data.
    const source = chain(error).find((e) => codeOf(e) === state);
    return `the database refused the connection: ${source instanceof Error ? source.message : state}`;
  }
  if (chain(error).some(isFailedQuery) || state) return `a database query failed: ${errorSummary(error)}`;
  return error instanceof Error ? error.message : String(error);
}

/** 08 connection exception, 28 invalid authorization, 3D invalid catalog name, 57 operator intervention. */
const CONFIGURATION_CLASSES = new Set(["08", "28", "3D", "57"]);
