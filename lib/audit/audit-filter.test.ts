import { describe, expect, it } from "vitest";
import { auditFilterHref, auditSearchOf, isAuditFiltered, parseAuditFilter } from "./audit-filter";

describe("the Audit log tab's filters from the address", () => {
  it("takes whole days in the organisation's zone, the last day included", () => {
    const search = auditSearchOf(parseAuditFilter({ from: "2026-07-01", to: "2026-07-01" }), "Europe/London");
    expect(search.from?.toISOString()).toBe("2026-06-30T23:00:00.000Z");
    expect(search.to?.toISOString()).toBe("2026-07-01T23:00:00.000Z");
  });

  it("drops a value it cannot use rather than showing an error page", () => {
    const form = parseAuditFilter({
      from: "2026-02-30",
      action: "secret.stolen",
      actorType: "robot",
      target: "a\u0000b",
      actor: ["x", "y"],
    });
    expect(form).toMatchObject({ from: undefined, action: undefined, actorType: undefined, target: undefined, actor: "x" });
    expect(auditSearchOf(parseAuditFilter({ from: "2026-03-02", to: "2026-03-01" }), "UTC").to).toBeUndefined();
  });

  it("links to the same filtered view, leaving out empty filters", () => {
    const form = parseAuditFilter({ action: "secret.rotated", actor: "", target: "blue" });
    expect(isAuditFiltered(form)).toBe(true);
    expect(auditFilterHref("/x", form)).toBe("/x?action=secret.rotated&target=blue");
    expect(auditFilterHref("/x", parseAuditFilter({}), { format: "csv" })).toBe("/x?format=csv");
    expect(isAuditFiltered(parseAuditFilter({}))).toBe(false);
  });
});
