import { describe, expect, it } from "vitest";
import type { AuditSearchRow } from "@/lib/data/audit-search";
import { changesOf, toAuditEventView } from "./audit-event-view";

const row = (over: Partial<AuditSearchRow>): AuditSearchRow => ({
  id: "1",
  occurred_at: "2026-01-02T03:04:05.000001Z",
  organisation_id: "o",
  organisation_slug: "northwind",
  organisation_name: "Northwind",
  actor_type: "user",
  actor_label: "alice@example.com",
  action: "secret.revealed",
  target_type: "client_secret",
  target_id: "s-1",
  metadata: { client: "0oaCLIENT", maskedTail: "Xy12" },
  ip: "203.0.113.9",
  target_name: null,
  target_client: null,
  ...over,
});

describe("an audit event as people read it", () => {
  it("says where it came from by its actor: portal, API, CLI or scheduler", () => {
    expect(toAuditEventView(row({ actor_type: "user" })).source).toBe("portal");
    expect(toAuditEventView(row({ actor_type: "api_token" })).source).toBe("api");
    expect(toAuditEventView(row({ actor_type: "cli" })).source).toBe("cli");
    expect(toAuditEventView(row({ actor_type: "system" })).source).toBe("scheduler");
  });

  it("names the target as it is now, else as the event recorded it, else by id", () => {
    expect(toAuditEventView(row({ target_name: 'ending Xy12 "blue"', target_client: "Claims" })).target).toEqual({
      type: "client_secret",
      id: "s-1",
      name: 'ending Xy12 "blue" (client Claims)',
    });
    expect(toAuditEventView(row({})).target?.name).toBe("ending Xy12 (client 0oaCLIENT)");
    expect(toAuditEventView(row({ target_type: "office", metadata: {} })).target?.name).toBe("s-1");
    expect(
      toAuditEventView(
        row({ action: "webhook.deleted", target_type: "webhook_endpoint", metadata: { url: "https://hooks.example.com/r" } }),
      ).target?.name,
    ).toBe("https://hooks.example.com/r");
    expect(toAuditEventView(row({ target_type: null, target_id: null })).target).toBeNull();
  });

  it("lists only the settings that changed, before and after", () => {
    expect(
      changesOf("client.settings_updated", {
        clientId: "c",
        before: { tokenTtlSeconds: 300, scopes: ["a"] },
        after: { tokenTtlSeconds: 600, scopes: ["a"] },
      }),
    ).toEqual([{ field: "tokenTtlSeconds", before: 300, after: 600 }]);
    expect(changesOf("user.role_changed", { from: "member", to: "admin" })).toEqual([{ field: "role", before: "member", after: "admin" }]);
    expect(changesOf("client.jwks_uri_changed", { from: null, to: "https://x/jwks" })).toEqual([
      { field: "jwksUri", before: null, after: "https://x/jwks" },
    ]);
    expect(changesOf("secret.revealed", { client: "c" })).toEqual([]);
  });
});
