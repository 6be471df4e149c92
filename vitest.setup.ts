import { log } from "@/lib/log/logger";

/**
 * Beside vitest.config.ts, the test run's own configuration (lib/env.ts reads the environment for the
 * app). Tests log at "error" and up unless ROTOR_LOG_LEVEL says otherwise: a scheduler run's info line per
 * test would bury the report. Only this process's logger: processes a test spawns read their own
 * environment (a server's "listening" line is what some tests wait for). Tests that read the log
 * capture it at their own level (lib/log/testing.ts).
 */
log().level = process.env.ROTOR_LOG_LEVEL ?? "error";
