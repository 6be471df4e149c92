import { describe, expect, it } from "vitest";
import { decideOperatorAccess, decideOrganisationAccess, isSomebody } from "./access-decision";

const own = (activeRole: "admin" | "spoc" | "member" | null) => ({ signedIn: true, organisationExists: true, activeRole });

describe("who may open an organisation's page or run its action", () => {
  it("sends someone who is not signed in to sign in, whatever the organisation", () => {
    expect(decideOrganisationAccess({ signedIn: false, organisationExists: true, activeRole: null }, "organisation.view")).toEqual({
      outcome: "sign-in",
    });
    expect(decideOrganisationAccess({ signedIn: false, organisationExists: false, activeRole: null }, "api.view")).toEqual({
      outcome: "sign-in",
    });
  });

  it("lets a member see the organisation and its offices, and nothing of its users or credentials", () => {
    expect(decideOrganisationAccess(own("member"), "organisation.view")).toEqual({ outcome: "allowed", role: "member" });
    expect(decideOrganisationAccess(own("member"), "offices.view")).toEqual({ outcome: "allowed", role: "member" });
    expect(decideOrganisationAccess(own("member"), "users.view")).toEqual({ outcome: "forbidden" });
    expect(decideOrganisationAccess(own("member"), "api.view")).toEqual({ outcome: "forbidden" });
    expect(decideOrganisationAccess(own("member"), "secrets.reveal")).toEqual({ outcome: "forbidden" });
  });

  it("lets an admin manage people and the policy but not rotate secrets", () => {
    expect(decideOrganisationAccess(own("admin"), "organisation.manage")).toEqual({ outcome: "allowed", role: "admin" });
    expect(decideOrganisationAccess(own("admin"), "policy.manage")).toEqual({ outcome: "allowed", role: "admin" });
    expect(decideOrganisationAccess(own("admin"), "api.view")).toEqual({ outcome: "allowed", role: "admin" });
    expect(decideOrganisationAccess(own("admin"), "credentials.rotate")).toEqual({ outcome: "forbidden" });
  });

  it("lets the designated user (SPOC) rotate and reveal but not manage people", () => {
    expect(decideOrganisationAccess(own("spoc"), "credentials.rotate")).toEqual({ outcome: "allowed", role: "spoc" });
    expect(decideOrganisationAccess(own("spoc"), "secrets.reveal")).toEqual({ outcome: "allowed", role: "spoc" });
    expect(decideOrganisationAccess(own("spoc"), "organisation.manage")).toEqual({ outcome: "forbidden" });
  });

  it("answers not found for another organisation, a missing one, and a de-activated membership alike", () => {
    // Another organisation: signed in, it exists, no active membership there.
    expect(decideOrganisationAccess(own(null), "organisation.view")).toEqual({ outcome: "not-found" });
    // A slug that does not exist.
    expect(decideOrganisationAccess({ signedIn: true, organisationExists: false, activeRole: null }, "organisation.view")).toEqual({
      outcome: "not-found",
    });
    // Even a role passed along with a missing organisation allows nothing.
    expect(decideOrganisationAccess({ signedIn: true, organisationExists: false, activeRole: "admin" }, "organisation.view")).toEqual({
      outcome: "not-found",
    });
  });
});

describe("who may open the Platform area", () => {
  it("is the operator only; to anyone else signed in it does not exist", () => {
    expect(decideOperatorAccess({ signedIn: true, isOperator: true })).toBe("allowed");
    expect(decideOperatorAccess({ signedIn: true, isOperator: false })).toBe("not-found");
    expect(decideOperatorAccess({ signedIn: false, isOperator: false })).toBe("sign-in");
  });
});

describe("who counts as somebody once signed in", () => {
  it("is an operator or a person with an active membership, and only while their user exists", () => {
    expect(isSomebody({ userExists: true, isOperator: true, activeOrganisations: 0 })).toBe(true);
    expect(isSomebody({ userExists: true, isOperator: false, activeOrganisations: 1 })).toBe(true);
    expect(isSomebody({ userExists: true, isOperator: false, activeOrganisations: 0 })).toBe(false);
    expect(isSomebody({ userExists: false, isOperator: true, activeOrganisations: 2 })).toBe(false);
    expect(isSomebody(null)).toBe(false);
  });
});
