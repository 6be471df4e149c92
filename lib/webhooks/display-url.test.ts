import { describe, expect, it } from "vitest";
import { displayUrl } from "./display-url";

describe("an endpoint's address in the audit log and e-mails", () => {
  it("keeps the origin and path, and hides a query or fragment", () => {
    expect(displayUrl("https://hooks.example.com/rotor")).toBe("https://hooks.example.com/rotor");
    expect(displayUrl("https://hooks.example.com:8443/r?token=s3cret")).toBe("https://hooks.example.com:8443/r?…");
    expect(displayUrl("https://hooks.example.com/r#s3cret")).toBe("https://hooks.example.com/r?…");
    expect(displayUrl("not a url")).toBe("(not a URL)");
  });
});
