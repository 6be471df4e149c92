import pino, { type DestinationStream, type Level, type Logger } from "pino";
import { CLIENT_SECRET_PREFIX } from "@/lib/crypto/client-secret";
import { PERSONAL_TOKEN_PREFIX } from "@/lib/crypto/personal-token";
import { env } from "@/lib/env";
import { currentRequestId } from "./request-context";

/**
 * The process's one logger (docs/observability.md): JSON lines on stdout through pino, no transport
 * (transports run in worker threads, which Next's bundle does not carry well). Every line made
 * while a request is served carries its `requestId` (lib/log/request-context.ts).
 *
 * Nothing secret may reach a line (docs/architecture.md, convention 5). Two layers keep it so:
 * - by habit, lines carry ids, tails and error classes (lib/error-summary.ts), never values;
 * - by structure, fields with a secret's name are censored wherever they sit (up to three levels
 *   deep; redactFields), and a message string has anything shaped like a Rotor secret, a personal API token or a
 *   JWT (an access token, an assertion) replaced before it is written.
 *
 * Kept on globalThis: the self-hosted server loads lib/ twice (tsx's module graph and Next's
 * bundle), and both must write through the same logger and the same level.
 */

/** Field names whose values are never written, at any of the first three levels of a line. */
export const REDACTED_FIELDS = [
  "authorization",
  "cookie",
  "set-cookie",
  "client_secret",
  "clientSecret",
  "client_assertion",
  "clientAssertion",
  "assertion",
  "password",
  "secret",
  "token",
  "access_token",
  "accessToken",
  "value",
  "link",
  "url",
  "signInLink",
  "privateKey",
  "private_key",
  "d",
  "p",
  "q",
  "dp",
  "dq",
  "qi",
] as const;

const REDACTED = new Set<string>(REDACTED_FIELDS);
const CENSORED = "[redacted]";
/** Field names are looked for at the top level of a line and two levels down. */
const REDACT_DEPTH = 2;

/**
 * The line with every field named like a secret censored, at the top level and two levels down;
 * the same object when there is none (the usual case: no copy). A walk over a Set, not pino's
 * `redact`: its wildcard paths (`*.x`, `*.*.x`) cost some 60 µs on every line, a quarter of a
 * token request's CPU (docs/performance.md).
 */
export function redactFields(line: Record<string, unknown>): Record<string, unknown> {
  return censor(line, 0) as Record<string, unknown>;
}

function censor(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object" || depth > REDACT_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const censored = censor(value[i], depth + 1);
      if (censored !== value[i]) {
        copy ??= value.slice();
        copy[i] = censored;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const field = record[key];
    const censored = REDACTED.has(key) ? CENSORED : censor(field, depth + 1);
    if (censored !== field) {
      copy ??= { ...record };
      copy[key] = censored;
    }
  }
  return copy ?? value;
}

const SECRET_SHAPES = new RegExp(
  [
    `${CLIENT_SECRET_PREFIX}[A-Za-z0-9]+`,
    `${PERSONAL_TOKEN_PREFIX}[A-Za-z0-9]+`,
    // A JWS or JWE in compact form: base64url of a JSON header ("{" encodes as "ey").
    "ey[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*)?",
  ].join("|"),
  "g",
);

/** A message with every secret-shaped run replaced; what is left says what happened, not with what. */
export function scrubMessage(text: string): string {
  return text.replace(SECRET_SHAPES, "[redacted]");
}

export function createLogger(options: { level: Level | "silent"; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Named levels ("info", not 30): readable in a terminal and in any log store's query.
      formatters: { level: (label) => ({ level: label }), log: redactFields },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId === undefined ? {} : { requestId };
      },
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) if (typeof args[i] === "string") args[i] = scrubMessage(args[i] as string);
          method.apply(this, args as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const key = Symbol.for("rotor.logger");
type Holder = { [key]?: Logger };

/** The level from ROTOR_LOG_LEVEL (lib/env.ts); info while the environment is broken (start-up then says why). */
function configuredLevel(): Level | "silent" {
  try {
    return env().ROTOR_LOG_LEVEL;
  } catch {
    return "info";
  }
}

/** The process's logger, made on first use at the configured level. */
export function log(): Logger {
  const holder = globalThis as Holder;
  holder[key] ??= createLogger({ level: configuredLevel() });
  return holder[key];
}

/**
 * For the operator's command line (scripts/rotor.ts): its stdout is its answer (readable, or one
 * JSON document with --json), so operational lines from the code it runs go to stderr, warnings
 * and errors only: the answer already says what was done (a scheduler run's summary, say), and a
 * script reading stderr for errors must not find routine lines there.
 */
export function logToStandardError(): void {
  const configured = configuredLevel();
  const level = configured === "silent" || pino.levels.values[configured]! >= pino.levels.values.warn! ? configured : "warn";
  (globalThis as Holder)[key] = createLogger({ level, destination: pino.destination({ dest: 2, sync: true }) });
}

/**
 * Sends the process's log lines to `destination` instead of stdout (tests capture a run's lines);
 * returns the function that puts the previous logger back.
 */
export function sendLogsTo(destination: DestinationStream, level: Level | "silent" = "debug"): () => void {
  const holder = globalThis as Holder;
  const previous = holder[key];
  holder[key] = createLogger({ level, destination });
  return () => {
    holder[key] = previous;
  };
}

/** The operational line for a function that takes one (the older `log: (line) => void` seams). */
export const logLine =
  (level: "info" | "warn" | "error", fields: Record<string, unknown> = {}) =>
  (line: string) =>
    log()[level](fields, line);
