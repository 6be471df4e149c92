/**
 * A refusal the caller can act on. Thrown inside a transaction it rolls everything back, so
 * nothing half-written is left; the edges (server actions, API routes, CLI) turn it into a
 * message, a problem+json response or a one-line error. Messages never contain secret values.
 */
export type DomainErrorCode = "invalid" | "not_found" | "forbidden" | "conflict" | "gone";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A unique-key violation from Postgres (23505), as drizzle wraps it (the driver error is its cause). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "23505" || (error as { cause?: { code?: string } }).cause?.code === "23505";
}

/**
 * The database refused a third live secret or key for a client (SQLSTATE 23P01, raised by the
 * triggers of db/migrations/0003_live_credential_limits.sql).
 */
export function isLiveLimitViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.code === "23P01" || e.cause?.code === "23P01";
}
