import { describe, expect, it } from "vitest";
import { safeReturnPath, signInPathFor } from "./return-to";

const portal = "https://portal.example";

describe("the page to return to after signing in", () => {
  it("keeps a path of the signed-in areas, with its query", () => {
    expect(safeReturnPath("/orgs/northwind/manage/api", portal)).toBe("/orgs/northwind/manage/api");
    expect(safeReturnPath("/orgs/northwind/manage/active-users?page=2", portal)).toBe("/orgs/northwind/manage/active-users?page=2");
    expect(safeReturnPath("/account", portal)).toBe("/account");
    expect(safeReturnPath("/platform", portal)).toBe("/platform");
  });

  it("refuses anything that could leave the portal or land outside its signed-in areas", () => {
    for (const hostile of [
      "//evil.example/orgs",
      "/\\evil.example",
      "https://evil.example/orgs/x",
      "javascript:alert(1)",
      "/orgs/../../\\evil",
      "/signin",
      "/api/auth/signout",
      "orgs/northwind",
      "/orgs/northwind\n",
      "/orgs/north wind",
      "",
      `/orgs/${"a".repeat(600)}`,
      42,
      null,
    ]) {
      expect(safeReturnPath(hostile, portal), String(hostile)).toBeNull();
    }
  });

  it("normalises dot segments before deciding", () => {
    expect(safeReturnPath("/orgs/../api/auth/signout", portal)).toBeNull();
    expect(safeReturnPath("/orgs/x/../northwind", portal)).toBe("/orgs/northwind");
  });

  it("builds the sign-in address that carries the page, or plain /signin", () => {
    expect(signInPathFor("/orgs/northwind/manage/api", portal)).toBe("/signin?next=%2Forgs%2Fnorthwind%2Fmanage%2Fapi");
    expect(signInPathFor("/elsewhere", portal)).toBe("/signin");
  });
});
