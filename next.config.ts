import type { NextConfig } from "next";
import { MACHINE_CSP, PERMISSIONS_POLICY } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // PGlite bundled by Turbopack fails at run time (stack-notes): load it from node_modules.
  // pino and prom-client from node_modules too: the self-hosted server's tsx graph and Next's
  // bundle then share one copy of each (docs/observability.md).
  serverExternalPackages: ["@electric-sql/pglite", "pino", "prom-client"],
  poweredByHeader: false,
  // forbidden(): a member asking for the API tab gets a 403 page that says why.
  experimental: { authInterrupts: true },
  // Migrations are read from disk at start-up; make sure traced deployments carry them.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  // The floor for every response, static files included. Pages get their nonce-based CSP and the
  // rest of lib/http/security-headers.ts from proxy.ts; machine paths from their own core.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        ],
      },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: MACHINE_CSP }],
      },
    ];
  },
};

export default nextConfig;
