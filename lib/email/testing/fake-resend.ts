import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedEmail {
  idempotencyKey: string | undefined;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

/**
 * A local stand-in for the Resend API, so the real Resend SDK can be tested here: it records what
 * arrives, deduplicates by Idempotency-Key as Resend does, and can be told to fail. Its recipients'
 * inboxes can be read back at GET /test/inbox?to=<address> (what an e2e test reads a link from).
 */
export async function startFakeResend(options: { port?: number } = {}) {
  const delivered = new Map<string, ReceivedEmail & { id: string }>();
  const requests: ReceivedEmail[] = [];
  let failing = false;
  let hanging = false;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const key = req.headers["idempotency-key"] as string | undefined;
      const url = new URL(req.url ?? "/", "http://fake");
      if (req.method === "GET" && url.pathname === "/test/inbox") {
        const to = (url.searchParams.get("to") ?? "").toLowerCase();
        const inbox = [...delivered.values()].filter((m) => m.to.some((t) => t.toLowerCase() === to));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(inbox));
        return;
      }
      if (req.method !== "POST" || req.url !== "/emails") {
        res.writeHead(404, { "content-type": "application/json" }).end('{"statusCode":404,"name":"not_found","message":"Not found"}');
        return;
      }
      if (hanging) return; // never answers: a provider that hangs
      if (failing) {
        res
          .writeHead(500, { "content-type": "application/json" })
          .end('{"statusCode":500,"name":"application_error","message":"Temporarily down"}');
        return;
      }
      const payload = JSON.parse(body) as { to: string[]; subject: string; html: string; text: string };
      const received = { idempotencyKey: key, to: payload.to, subject: payload.subject, html: payload.html, text: payload.text };
      requests.push(received);
      const existing = key ? delivered.get(key) : undefined;
      const id = existing?.id ?? randomUUID();
      if (key && !existing) delivered.set(key, { ...received, id });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** One per idempotency key: what recipients actually receive. */
    delivered,
    setFailing(value: boolean) {
      failing = value;
    },
    setHanging(value: boolean) {
      hanging = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
