import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:cluster`: three production instances behind HAProxy and PgBouncer
 * (scripts/cluster/harness.ts). Needs a production build, haproxy, pgbouncer and DATABASE_URL
 * naming a Postgres server; `npm test` runs it after the e2e stage, or says why it skipped it.
 */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["scripts/cluster/**/*.cluster.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
  },
});
