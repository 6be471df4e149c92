import { describe, expect, it } from "vitest";
import { baselineHeaders, pageCsp } from "./security-headers";

describe("security headers", () => {
  it("send Strict-Transport-Security only when the public URL is https", () => {
    expect(baselineHeaders("https://auth.example.com")["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
    expect(baselineHeaders("http://localhost:3000")).not.toHaveProperty("Strict-Transport-Security");
    expect(baselineHeaders("http://localhost:3000")["Permissions-Policy"]).toMatch(/camera=\(\)/);
  });

  it("allow scripts only with the response's nonce: never unsafe-inline, unsafe-eval only in development", () => {
    const csp = pageCsp("n0nce", "https://auth.example.com", { development: false, signInOrigin: "https://oidc.example" });
    const scripts = csp.split("; ").find((d) => d.startsWith("script-src "));
    expect(scripts).toBe("script-src 'self' 'nonce-n0nce' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://oidc.example");
    expect(csp).toContain("upgrade-insecure-requests");
    expect(pageCsp("n", "http://localhost", { development: true })).toContain("'unsafe-eval'");
    expect(pageCsp("n", "http://localhost", { development: false })).not.toContain("upgrade-insecure-requests");
  });
});
