import { describe, expect, it } from "vitest";
import { givenName, welcomeHeading } from "./greeting";

describe("the Home page's welcome", () => {
  it("greets a person by their given name", () => {
    expect(welcomeHeading("Alice Adeyemi", "Northwind Insurance")).toBe("Welcome, Alice");
    expect(welcomeHeading("  Mo   Mahmood ", "Northwind Insurance")).toBe("Welcome, Mo");
    expect(welcomeHeading("Priya", "Finvu Data Services")).toBe("Welcome, Priya");
  });

  it("never greets a service account by its organisation's or team's name", () => {
    expect(welcomeHeading("Northwind API team (SPOC)", "Northwind Insurance")).toBe("Welcome");
    expect(welcomeHeading("Finvu secret rotation (SPOC)", "Finvu Data Services")).toBe("Welcome");
    expect(welcomeHeading("Northwind", "Northwind Insurance")).toBe("Welcome");
    expect(welcomeHeading("Claims integration service", "Northwind Insurance")).toBe("Welcome");
    expect(welcomeHeading("svc_rotor01", "Northwind Insurance")).toBe("Welcome");
  });

  it("uses the neutral heading for someone without a name", () => {
    expect(welcomeHeading(null, "Northwind Insurance")).toBe("Welcome");
    expect(welcomeHeading("   ", "Northwind Insurance")).toBe("Welcome");
    expect(givenName("", "Northwind Insurance")).toBeNull();
  });
});
