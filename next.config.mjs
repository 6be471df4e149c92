/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite bundled by Turbopack fails at run time (stack-notes): load it from node_modules.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // forbidden(): a member asking for the API tab gets a 403 page that says why.
  experimental: { authInterrupts: true },
  // Migrations are read from disk at start-up; make sure traced deployments carry them.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
