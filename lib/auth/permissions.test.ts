import { describe, expect, it } from "vitest";
import { can } from "./permissions";

describe("roles", () => {
  it("lets a member see nothing of the credentials", () => {
    expect(can("member", "api.view")).toBe(false);
    expect(can("member", "credentials.rotate")).toBe(false);
    expect(can("member", "users.view")).toBe(false);
  });

  it("lets admins read the API tab and manage the organisation, but not rotate (seed 001)", () => {
    expect(can("admin", "api.view")).toBe(true);
    expect(can("admin", "organisation.manage")).toBe(true);
    expect(can("admin", "credentials.rotate")).toBe(false);
  });

  it("lets only the designated user rotate secrets", () => {
    expect(can("spoc", "credentials.rotate")).toBe(true);
    expect(can("spoc", "organisation.manage")).toBe(false);
  });
});
