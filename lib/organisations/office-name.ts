import { DomainError, isUniqueViolation } from "@/lib/errors";

/** The database keeps office names unique per organisation, in any case; its refusal, in words. */
export function officeNameTaken(error: unknown, name: string): unknown {
  return isUniqueViolation(error)
    ? new DomainError("conflict", `Your organisation already has an office called "${name}".`, "name")
    : error;
}
