// @ts-check
// One folder at a time: npx stryker run --mutate 'lib/rotation/**/*.ts,!lib/**/*.test.ts' with
// MUTATION_REPORTS=reports/mutation-rotation, so parallel runs keep their reports apart.
const reports = process.env.MUTATION_REPORTS ?? "reports/mutation";

/**
 * Mutation testing (npm run test:mutation; results and survivors in docs/test-strength.md).
 * Not part of npm test: one run takes far longer than CI allows.
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: [
    "lib/rotation/**/*.ts",
    "lib/oauth/**/*.ts",
    "lib/credentials/**/*.ts",
    "lib/scheduler/**/*.ts",
    // Written in parallel; a pattern that matches no file is ignored.
    "lib/auth/access-decision.ts",
    "!lib/**/*.test.ts",
    "!lib/**/*.bench.ts",
    "!lib/**/*.d.ts",
    // Test helpers, not production code.
    "!lib/oauth/testing.ts",
  ],
  // Type checks off in the code only: docs/examples/*.ts are compared byte for byte with the docs
  // that show them (lib/webhooks/webhooks.integration.test.ts), so no @ts-nocheck line is added there.
  disableTypeChecks: "{lib,app,db,scripts,components}/**/*.{ts,tsx}",
  // Only the tests that execute a mutant run against it (vitest.mutation.config.ts).
  coverageAnalysis: "perTest",
  // A static mutant (evaluated at module load) would need the whole suite per mutant; the
  // report lists them as ignored.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `${reports}/mutation.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  // The machine is shared and the integration tests use a real database: generous timeouts.
  concurrency: 2,
  timeoutMS: 60_000,
  timeoutFactor: 3,
  // The first run executes every related test once, one file at a time.
  dryRunTimeoutMinutes: 40,
  thresholds: { high: 85, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  // Other runs' sandboxes too, when folders run side by side.
  ignorePatterns: [".stryker-tmp*", ".next", ".data", "e2e", "test-results", "playwright-report", "screenshots"],
  cleanTempDir: "always",
};
