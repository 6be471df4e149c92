import type { Server } from "node:http";
import { closeDatabase } from "@/lib/data/database";
import { env } from "@/lib/env";
import { markDraining } from "@/lib/health/draining";
import { type GracefulShutdown, gracefulShutdown, onTerminationSignals } from "./graceful-shutdown";

/**
 * The self-hosted servers' shutdown (scripts/server.ts, scripts/machine-server.ts): the timings
 * from the environment, /readyz told through the draining flag, and at the end the machine's usage
 * records flushed and the database closed (for the embedded one, its folder lock released).
 */
export function shutDownOnSignals(server: Server, machine: { stop(): Promise<void> }): GracefulShutdown {
  const e = env();
  const shutdown = gracefulShutdown({
    server,
    drainMs: e.ROTOR_SHUTDOWN_DRAIN_SECONDS * 1000,
    timeoutMs: e.ROTOR_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    markDraining,
    cleanUp: async () => {
      await machine.stop();
      await closeDatabase();
    },
    exit: (code) => process.exit(code),
    log: console,
  });
  onTerminationSignals(shutdown);
  return shutdown;
}
