import { describe, expect, it } from "vitest";
import { parsePeopleSearch, peopleSearchHref } from "./people-filter";

describe("the people tabs' search parameters", () => {
  it("reads the search, role and page from the URL", () => {
    expect(parsePeopleSearch({ q: "  Mo ", role: "spoc", page: "3" })).toEqual({ q: "Mo", role: "spoc", page: 3 });
  });

  it("falls back to the defaults for a bad value, never an error", () => {
    expect(parsePeopleSearch({})).toEqual({ q: "", role: null, page: 1 });
    expect(parsePeopleSearch({ q: "x".repeat(500), role: "owner", page: "-2" })).toEqual({ q: "", role: null, page: 1 });
    expect(parsePeopleSearch({ role: "", page: "2.5" })).toEqual({ q: "", role: null, page: 1 });
    expect(parsePeopleSearch({ q: ["a", "b"], role: ["admin"], page: ["abc"] })).toEqual({ q: "a", role: "admin", page: 1 });
  });

  it("builds the tab's address, leaving out what is empty", () => {
    expect(peopleSearchHref("/p", { q: "", role: null, page: 1 })).toBe("/p");
    expect(peopleSearchHref("/p", { q: "a&b", role: "admin", page: 1 }, 2)).toBe("/p?q=a%26b&role=admin&page=2");
  });
});
