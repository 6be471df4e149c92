import { describe, expect, it } from "vitest";
import { decodeAuditCursor, encodeAuditCursor } from "./audit-cursor";

describe("the audit log's cursor", () => {
  it("gives back the position it was made from", () => {
    for (const direction of ["older", "newer"] as const) {
      const position = { occurredAt: "2026-01-02T03:04:05.123456Z", id: "42", direction };
      expect(decodeAuditCursor(encodeAuditCursor(position))).toEqual(position);
    }
  });

  it.each([
    "",
    "abc",
    Buffer.from("o|2026-01-02T03:04:05Z|1").toString("base64url"),
    Buffer.from("o|2026-01-02T03:04:05.123456Z|x").toString("base64url"),
    Buffer.from("o|2026-01-02T03:04:05.123456Z|1|2").toString("base64url"),
  ])("refuses %j as a cursor it did not make, naming the parameter", (cursor) => {
    expect(() => decodeAuditCursor(cursor)).toThrow(expect.objectContaining({ code: "invalid", field: "cursor" }));
  });
});
