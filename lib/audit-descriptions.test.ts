import { describe, expect, it } from "vitest";
import { describeAuditEvent } from "./audit-descriptions";
import { AUDIT_ACTIONS } from "./data/audit";

describe("the activity line of a key registration", () => {
  it("names an EC P-256 key's type, and reads as before for an RSA key or an event written before types were recorded", () => {
    const registered = { client: "client-1", kid: "key-a", thumbprint: "t", bits: 256, expiresAt: null };
    expect(describeAuditEvent("key.registered", { ...registered, type: "EC", alg: "ES256" })).toBe(
      "registered EC P-256 key key-a of client client-1",
    );
    expect(describeAuditEvent("key.registered", { ...registered, type: "RSA", alg: "RS256", bits: 2048 })).toBe(
      "registered key key-a of client client-1",
    );
    expect(describeAuditEvent("key.registered", { ...registered, bits: 2048 })).toBe("registered key key-a of client client-1");
  });
});

describe("the audit log's plain words", () => {
  it("describes every action of the catalogue in words of its own, never as its raw name", () => {
    for (const action of AUDIT_ACTIONS) {
      const words = describeAuditEvent(action, {});
      expect(words, action).not.toBe(action.replace(/[._]/g, " "));
      expect(words, action).not.toMatch(/[._]/);
    }
  });

  it("says who was affected and how, for people and roles", () => {
    expect(describeAuditEvent("user.reactivated", { email: "ana@example.com" })).toBe("re-activated ana@example.com");
    expect(describeAuditEvent("user.role_changed", { email: "ana@example.com", from: "member", to: "admin", apiTokensRevoked: 0 })).toBe(
      "changed the role of ana@example.com from member to organisation admin",
    );
    expect(describeAuditEvent("client.disabled", { clientId: "0oaABC" })).toBe("disabled client 0oaABC");
    expect(describeAuditEvent("secret.expired", { client: "0oaABC", maskedTail: "x7Q2" })).toBe(
      "recorded that the secret ending x7Q2 of client 0oaABC expired",
    );
  });
});
