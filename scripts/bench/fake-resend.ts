/**
 * A stand-in for Resend's API for `BENCH_MODE=deliver npm run bench:cron`, in a process of its own
 * so the scheduler's memory and CPU are measured alone: POST /emails answers like Resend
 * (200 {"id"}), the same id again for an Idempotency-Key it has seen; GET /stats says how many
 * requests came, how many distinct keys and how many repeats. It keeps keys only, never bodies.
 *
 * Usage: tsx scripts/bench/fake-resend.ts <port> [latency ms, default 0]
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 4711);
const latencyMs = Number(process.argv[3] ?? 0);
const ids = new Map<string, string>();
let requests = 0;
let repeats = 0;
let withoutKey = 0;
let inFlight = 0;
let mostInFlight = 0;

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ requests, distinct: ids.size, repeats, withoutKey, mostInFlight }));
    return;
  }
  if (req.method !== "POST" || req.url !== "/emails") {
    res.writeHead(404, { "content-type": "application/json" }).end('{"statusCode":404,"name":"not_found","message":"Not found"}');
    return;
  }
  inFlight++;
  mostInFlight = Math.max(mostInFlight, inFlight);
  req.resume();
  req.on("end", () => {
    requests++;
    const key = req.headers["idempotency-key"];
    let id: string;
    if (typeof key !== "string") {
      withoutKey++;
      id = randomUUID();
    } else if (ids.has(key)) {
      repeats++;
      id = ids.get(key)!;
    } else {
      id = randomUUID();
      ids.set(key, id);
    }
    const answer = () => {
      inFlight--;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });
});
server.listen(port, "127.0.0.1", () => console.info(`fake Resend on http://127.0.0.1:${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
