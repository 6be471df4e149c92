import { describe, expect, it } from "vitest";
import { describeAuditEvent } from "./audit-descriptions";

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
