import type { AuditPosition } from "@/lib/data/audit-search";
import { DomainError } from "@/lib/errors";

/**
 * The audit log's cursor: where a page ended, (occurred_at to the microsecond, id), as one opaque
 * token, so a client pages without knowing the ordering and an event written meanwhile neither
 * repeats nor hides one (docs/domain.md, "The audit log").
 */
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ID = /^[1-9]\d{0,18}$/;

export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(`${position.direction === "newer" ? "n" : "o"}|${position.occurredAt}|${position.id}`, "utf8").toString("base64url");
}

/** The position a cursor names; a cursor this code did not make is refused, naming the parameter. */
export function decodeAuditCursor(cursor: string): AuditPosition {
  const [way, occurredAt, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (
    rest.length > 0 ||
    (way !== "o" && way !== "n") ||
    !occurredAt ||
    !id ||
    !TIME.test(occurredAt) ||
    !ID.test(id) ||
    Number.isNaN(Date.parse(occurredAt))
  ) {
    throw new DomainError(
      "invalid",
      "cursor is not one this server gave out. Pass nextCursor from the previous page exactly, or leave cursor out for the newest events.",
      "cursor",
    );
  }
  return { occurredAt, id, direction: way === "n" ? "newer" : "older" };
}
