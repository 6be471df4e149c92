import { describe, expect, it } from "vitest";
import { switchTargets, tabOf } from "./organisation-switch";

describe("switching organisation", () => {
  it("leads to the same tab where the role there allows it", () => {
    expect(switchTargets("finvu", "admin")).toEqual({
      "": "/orgs/finvu",
      "/manage": "/orgs/finvu/manage",
      "/manage/offices": "/orgs/finvu/manage/offices",
      "/manage/active-users": "/orgs/finvu/manage/active-users",
      "/manage/deactivated-users": "/orgs/finvu/manage/deactivated-users",
      "/manage/api": "/orgs/finvu/manage/api",
      "/dev-tools": "/orgs/finvu/dev-tools",
    });
  });

  it("leads to the organisation's Home from a tab the role there may not see", () => {
    expect(switchTargets("northwind", "member")).toEqual({
      "": "/orgs/northwind",
      "/manage": "/orgs/northwind/manage",
      "/manage/offices": "/orgs/northwind/manage/offices",
      "/manage/active-users": "/orgs/northwind",
      "/manage/deactivated-users": "/orgs/northwind",
      "/manage/api": "/orgs/northwind",
      "/dev-tools": "/orgs/northwind",
    });
  });

  it("reads the tab from the address of the current organisation, Home for anything else", () => {
    expect(tabOf("/orgs/contoso/manage/api", "contoso")).toBe("/manage/api");
    expect(tabOf("/orgs/contoso/manage/offices/", "contoso")).toBe("/manage/offices");
    expect(tabOf("/orgs/contoso", "contoso")).toBe("");
    expect(tabOf("/orgs/contoso/unknown", "contoso")).toBe("");
    expect(tabOf("/account", "contoso")).toBe("");
  });
});
