import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["{lib,db,app,components,scripts}/**/*.test.ts"],
    // The cluster test starts its own processes and runs on its own (vitest.cluster.config.ts).
    exclude: [...configDefaults.exclude, "**/*.cluster.test.ts"],
    environment: "node",
    globalSetup: ["./db/testing/global-setup.ts"],
    setupFiles: ["./vitest.setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
