import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { gracefulShutdown, type ShutdownTimers } from "./graceful-shutdown";

/*
 * The shutdown's steps (docs/operations.md, "Shutdown") on a real http server with the clock in
 * the test's hands: the drain ends and the hard bound fires when the test says so.
 */

interface Harness {
  server: Server;
  port: number;
  draining: boolean;
  events: string[];
  /** Resolves the drain delay. */
  endDrain(): void;
  /** Fires the hard bound. */
  fireBound(): void;
  /** Lets the held /slow request answer. */
  releaseSlow(): void;
  /** Resolves once /slow is being handled. */
  slowArrived: Promise<void>;
  shutdown: ReturnType<typeof gracefulShutdown>;
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function harness(cleanUp: () => Promise<void> = async () => {}): Promise<Harness> {
  let releaseSlow = () => {};
  const slowGate = new Promise<void>((resolve) => {
    releaseSlow = resolve;
  });
  let slowArrivedResolve = () => {};
  const slowArrived = new Promise<void>((resolve) => {
    slowArrivedResolve = resolve;
  });
  const h = { draining: false, events: [] as string[] } as Harness;
  const server = createServer((req, res) => {
    if (req.url === "/slow") {
      slowArrivedResolve();
      void slowGate.then(() => res.writeHead(200, { "Content-Type": "text/plain" }).end("slow done"));
      return;
    }
    res.writeHead(h.draining ? 503 : 200).end(h.draining ? "draining" : "ready");
  });
  servers.push(server);
  let endDrain = () => {};
  let fireBound = () => {};
  const timers: ShutdownTimers = {
    wait: () =>
      new Promise((resolve) => {
        endDrain = resolve;
      }),
    after: (_ms, fn) => {
      fireBound = fn;
      return () => {
        fireBound = () => {};
      };
    },
  };
  const shutdown = gracefulShutdown({
    server,
    drainMs: 5_000,
    timeoutMs: 15_000,
    markDraining: () => {
      h.draining = true;
      h.events.push("draining");
    },
    cleanUp: async () => {
      h.events.push("cleanUp");
      await cleanUp();
    },
    exit: (code) => h.events.push(`exit ${code}`),
    log: { info: () => {}, error: (line) => h.events.push(`error: ${line}`) },
    timers,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(h, {
    server,
    port: (server.address() as AddressInfo).port,
    endDrain: () => endDrain(),
    fireBound: () => fireBound(),
    releaseSlow,
    slowArrived,
    shutdown,
  });
}

function get(port: number, path: string, agent?: Agent) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

async function untilRefused(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await refused(port)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("the server still accepts connections");
}

describe("graceful shutdown", () => {
  it("reports draining at once and keeps serving through the drain, with Connection: close on every answer", async () => {
    const h = await harness();
    const done = h.shutdown.begin("SIGTERM received");
    expect(h.events).toEqual(["draining"]);
    const during = await get(h.port, "/readyz");
    expect(during).toMatchObject({ status: 503, body: "draining" });
    expect(during.headers.connection).toBe("close");
    expect(await refused(h.port)).toBe(false);
    h.endDrain();
    await done;
    expect(h.events).toEqual(["draining", "cleanUp", "exit 0"]);
  });

  it("after the drain refuses new connections, lets the request in flight finish, then cleans up and exits 0", async () => {
    const h = await harness();
    const slow = get(h.port, "/slow");
    await h.slowArrived;
    expect(h.shutdown.inFlight()).toBe(1);
    const done = h.shutdown.begin("SIGTERM received");
    h.endDrain();
    await untilRefused(h.port);
    // Nothing is cleaned up while a request is still being answered.
    expect(h.events).toEqual(["draining"]);
    h.releaseSlow();
    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, body: "slow done" });
    expect(answer.headers.connection).toBe("close");
    await done;
    expect(h.events).toEqual(["draining", "cleanUp", "exit 0"]);
  });

  it("closes an idle keep-alive connection when it stops accepting, instead of waiting for its timeout", async () => {
    const h = await harness();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(h.port, "/readyz", agent);
    expect(first.headers.connection).toBe("keep-alive");
    const [socket] = Object.values(agent.freeSockets).flat();
    expect(socket).toBeDefined();
    const closed = new Promise<void>((resolve) => socket!.once("close", () => resolve()));
    const done = h.shutdown.begin("SIGTERM received");
    h.endDrain();
    await closed;
    await done;
    expect(h.events).toEqual(["draining", "cleanUp", "exit 0"]);
    agent.destroy();
  });

  it("closes a connection that was accepted but never sent a request, instead of waiting for it until the bound", async () => {
    const h = await harness();
    // A balancer's pre-opened connection: accepted, nothing sent yet.
    const silent = connect(h.port, "127.0.0.1");
    await new Promise<void>((resolve) => silent.once("connect", () => resolve()));
    const closed = new Promise<void>((resolve) => silent.once("close", () => resolve()));
    const done = h.shutdown.begin("SIGTERM received");
    h.endDrain();
    await closed;
    await done;
    expect(h.events).toEqual(["draining", "cleanUp", "exit 0"]);
  });

  it("once the last request in flight is answered, closes the connections left without one", async () => {
    const h = await harness();
    const slow = get(h.port, "/slow");
    await h.slowArrived;
    const silent = connect(h.port, "127.0.0.1");
    await new Promise<void>((resolve) => silent.once("connect", () => resolve()));
    const silentClosed = new Promise<void>((resolve) => silent.once("close", () => resolve()));
    const done = h.shutdown.begin("SIGTERM received");
    h.endDrain();
    await untilRefused(h.port);
    expect(h.events).toEqual(["draining"]);
    h.releaseSlow();
    expect(await slow).toMatchObject({ status: 200, body: "slow done" });
    await done;
    await silentClosed;
    expect(h.events).toEqual(["draining", "cleanUp", "exit 0"]);
  });

  it("exits 1 with a line naming the setting when requests are still in flight at the hard bound", async () => {
    const h = await harness();
    const slow = get(h.port, "/slow").catch(() => null);
    await h.slowArrived;
    void h.shutdown.begin("SIGTERM received");
    h.endDrain();
    await untilRefused(h.port);
    h.fireBound();
    expect(h.events).toEqual([
      "draining",
      "error: shutdown: still 1 request(s) in flight or cleaning up after 15 s (ROTOR_SHUTDOWN_TIMEOUT_SECONDS); exiting with 1",
      "exit 1",
    ]);
    h.releaseSlow();
    await slow;
  });

  it("exits 1 when cleaning up fails, after saying so without the error's text", async () => {
    const h = await harness(async () => {
      throw Object.assign(new Error("connection to postgres://rotor:hunter2@db failed"), { code: "ECONNRESET" });
    });
    const done = h.shutdown.begin("SIGTERM received");
    h.endDrain();
    await done;
    expect(h.events).toEqual([
      "draining",
      "cleanUp",
      "error: shutdown: cleaning up failed (Error (code ECONNRESET)); exiting with 1",
      "exit 1",
    ]);
  });

  it("takes a second signal as the same shutdown, not a second one", async () => {
    const h = await harness();
    const first = h.shutdown.begin("SIGTERM received");
    const second = h.shutdown.begin("SIGINT received");
    expect(second).toBe(first);
    h.endDrain();
    await first;
    expect(h.events).toEqual(["draining", "cleanUp", "exit 0"]);
  });
});
