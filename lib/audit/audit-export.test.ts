import { describe, expect, it } from "vitest";
import type { AuditEventView } from "./audit-event-view";
import { auditCsvHeader, auditCsvRow, auditJsonLine, csvCell } from "./audit-export";

const event: AuditEventView = {
  id: "7",
  occurredAt: "2026-01-02T03:04:05.000001Z",
  organisation: { slug: "northwind", name: "Northwind" },
  actor: { label: 'ana@example.com (API token "ci, prod")', type: "api_token" },
  source: "api",
  action: "office.added",
  description: 'added the office "=HYPERLINK(1)"',
  target: { type: "office", id: "o-1", name: "=HYPERLINK(1)" },
  changes: [],
  clientAddress: "203.0.113.9",
};

describe("the audit log's CSV", () => {
  it("quotes fields with commas, quotes and line breaks, doubling the quotes (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("turns a cell a spreadsheet would run as a formula into text", () => {
    for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]) expect(csvCell(formula)).toBe(`'${formula}`);
    expect(csvCell("=a,b")).toBe(`"'=a,b"`);
  });

  it("has a header row and one CRLF-ended row per event", () => {
    expect(auditCsvHeader()).toBe(
      "id,occurredAt,organisation,actorType,actor,source,action,description,targetType,targetId,target,changes,clientAddress\r\n",
    );
    expect(auditCsvRow(event)).toBe(
      `7,2026-01-02T03:04:05.000001Z,northwind,api_token,"ana@example.com (API token ""ci, prod"")",api,office.added,"added the office ""=HYPERLINK(1)""",office,o-1,'=HYPERLINK(1),,203.0.113.9\r\n`,
    );
  });
});

describe("the audit log's JSON Lines", () => {
  it("is one JSON document per line", () => {
    const line = auditJsonLine(event);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual(event);
  });
});
