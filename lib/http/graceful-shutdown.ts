import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { errorSummary } from "@/lib/error-summary";

/**
 * Graceful shutdown of a Node http server on SIGTERM/SIGINT (docs/operations.md, "Shutdown"):
 *
 * 1. at once: the process reports draining (/readyz answers 503) and every response from now on
 *    carries `Connection: close` (RFC 9112 9.6), while the server keeps accepting and serving for
 *    the drain delay, long enough for a load balancer health-checking /readyz to take it out;
 * 2. then it stops accepting connections, closes idle keep-alive connections, and lets requests in
 *    flight finish (each connection closes after its response);
 * 3. once none is left: `cleanUp` (flush usage records, close the database), then exit 0;
 * 4. past `timeoutMs` from the signal, whatever is still running: a log line and exit 1.
 *
 * Timers and exit are injected so tests drive each step without waiting on a clock.
 */

export interface ShutdownTimers {
  /** Resolves after ms (the drain delay). */
  wait(ms: number): Promise<void>;
  /** Calls fn after ms unless cancelled (the hard bound). */
  after(ms: number, fn: () => void): () => void;
}

export const realTimers: ShutdownTimers = {
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface ShutdownOptions {
  server: Server;
  /** How long to keep serving, reporting draining, before refusing new connections. */
  drainMs: number;
  /** From the signal, the most the whole shutdown may take before exit 1. */
  timeoutMs: number;
  /** Makes /readyz answer 503 (lib/health/draining.ts). */
  markDraining(): void;
  /** Runs once no request is left: flush what the process holds, close the database. */
  cleanUp(): Promise<void>;
  exit(code: number): void;
  log: { info(line: string): void; error(line: string): void };
  timers?: ShutdownTimers;
}

export interface GracefulShutdown {
  /** Starts the shutdown; a second call (a second signal) changes nothing. Resolves when it is done. */
  begin(reason: string): Promise<void>;
  /** Requests this server is answering now. */
  inFlight(): number;
}

export function gracefulShutdown(options: ShutdownOptions): GracefulShutdown {
  const { server, log } = options;
  const timers = options.timers ?? realTimers;
  const open = new Set<ServerResponse>();
  let closing = false;
  let done: Promise<void> | null = null;

  const noKeepAlive = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };
  // Before the server's own listener, so even an answer written at once carries Connection: close.
  let stopped = false;
  // A connection that carries no request serves nobody once the server has stopped accepting: one
  // accepted just before the listener closed that has sent nothing yet (a balancer's pre-opened
  // connection) would otherwise hold close() until headersTimeout, past the shutdown's bound.
  const closeQuietConnections = () => {
    if (stopped && open.size === 0) server.closeAllConnections();
  };
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) noKeepAlive(res);
    open.add(res);
    res.once("close", () => {
      open.delete(res);
      closeQuietConnections();
    });
  });

  const run = async (reason: string) => {
    const cancelBound = timers.after(options.timeoutMs, () => {
      log.error(
        `shutdown: still ${open.size} request(s) in flight or cleaning up after ${options.timeoutMs / 1000} s (ROTOR_SHUTDOWN_TIMEOUT_SECONDS); exiting with 1`,
      );
      options.exit(1);
    });
    closing = true;
    options.markDraining();
    for (const res of open) noKeepAlive(res);
    log.info(`shutdown: ${reason}; reporting not ready, still serving for ${options.drainMs / 1000} s`);
    if (options.drainMs > 0) await timers.wait(options.drainMs);
    log.info(`shutdown: no longer accepting connections; ${open.size} request(s) in flight`);
    await new Promise<void>((resolve) => {
      // close() stops listening, and resolves once every connection has ended; idle keep-alive
      // connections are closed now, busy ones after their response (Connection: close).
      server.close(() => resolve());
      server.closeIdleConnections();
      stopped = true;
      closeQuietConnections();
    });
    log.info("shutdown: every connection closed; flushing usage records and closing the database");
    try {
      await options.cleanUp();
    } catch (error) {
      cancelBound();
      log.error(`shutdown: cleaning up failed (${errorSummary(error)}); exiting with 1`);
      options.exit(1);
      return;
    }
    cancelBound();
    log.info("shutdown: done");
    options.exit(0);
  };

  return {
    begin(reason) {
      done ??= run(reason);
      return done;
    },
    inFlight: () => open.size,
  };
}

/** Calls `shutdown.begin` on SIGTERM and SIGINT. */
export function onTerminationSignals(shutdown: GracefulShutdown): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void shutdown.begin(`${signal} received`));
  }
}
