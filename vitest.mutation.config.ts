import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The tests StrykerJS runs against mutants of lib/rotation, lib/oauth, lib/credentials,
 * lib/scheduler and lib/auth/access-decision.ts (stryker.config.mjs, docs/test-strength.md):
 * the unit and integration tests of those folders, plus the integration files elsewhere that
 * drive them (the management API, the SQL mirrors of the rotation rules). Left out: the 41 s
 * scheduler simulation and the multi-process replay test; each mutant they cover would cost that
 * long, and the focused scheduler and token-endpoint tests cover the same code.
 *
 * MUTATION_TESTS=unit keeps only the unit tests (no database): for the pure folders
 * (lib/rotation), whose own unit tests should kill every mutant without help.
 * MUTATION_TESTS=lib/credentials (a folder) keeps only that folder's tests: the test helpers
 * provision clients through the credential use cases, so otherwise nearly every integration file
 * covers, and reruns for, each credential mutant (docs/test-strength.md).
 * MUTATION_TESTS=lib/oauth/a.test.ts,lib/oauth/b.integration.test.ts (a list of test files) keeps
 * only those: on a loaded machine a folder whose every integration file covers each mutant (the
 * key cache, the mounts) cannot be measured with all of them in the time there is.
 */
const only = process.env.MUTATION_TESTS;
const unitOnly = only === "unit";
const files = only?.includes(".test.ts") ? only.split(",").map((f) => f.trim()) : undefined;
const folderOnly = !files && only?.startsWith("lib/") ? only : undefined;

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: files
      ? files
      : folderOnly
        ? [`${folderOnly}/**/*.test.ts`]
        : [
            "lib/{rotation,oauth,credentials,scheduler}/**/*.test.ts",
            "lib/auth/access-decision*.test.ts",
            "lib/management-api/handler.integration.test.ts",
            "lib/api-tokens/token-power.integration.test.ts",
            "lib/data/{live,schedule-sql,encryption-at-rest}.integration.test.ts",
            "lib/text-field.test.ts",
            "lib/http/client-address.test.ts",
          ],
    exclude: [
      "lib/scheduler/simulation.integration.test.ts",
      "lib/oauth/replay-across-instances.integration.test.ts",
      ...(unitOnly ? ["**/*.integration.test.ts"] : []),
    ],
    environment: "node",
    globalSetup: unitOnly ? [] : ["./db/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
