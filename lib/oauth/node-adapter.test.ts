import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo, BlockList } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, trustedProxies } from "@/lib/http/client-address";
import { MAX_FORM_BYTES } from "./constants";
import type { FetchHandler } from "./machine";
import { machineListener, stampClientAddress } from "./node-adapter";
import { machineHeaders } from "./security";

/*
 * The self-hosted mount (lib/oauth/node-adapter.ts) over a real loopback socket: routing by path,
 * the bounded body, the baseline headers on every answer, and the one place a client address is
 * decided (docs/security.md, "Client addresses").
 */

const ORIGIN = "https://auth.rotor.test";
const BASELINE = Object.fromEntries(Object.entries(machineHeaders(ORIGIN)).map(([name, value]) => [name.toLowerCase(), value]));
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** What the handler saw of the request, as it saw it. */
const seen: { method: string; url: string; address: string | null; forwarded: string | null; length: string | null; bytes: number }[] = [];
const echo: FetchHandler = async (request) => {
  const bytes = request.body ? (await request.arrayBuffer()).byteLength : 0;
  seen.push({
    method: request.method,
    url: request.url,
    address: request.headers.get(CLIENT_ADDRESS_HEADER),
    forwarded: request.headers.get("x-forwarded-for"),
    length: request.headers.get("content-length"),
    bytes,
  });
  return new Response("héllo", { status: 201, headers: { "x-answer": "1", "content-type": "text/plain" } });
};

async function serve(
  routes: Record<string, FetchHandler>,
  options: { proxies?: BlockList; fallback?: (req: IncomingMessage, res: import("node:http").ServerResponse) => void } = {},
) {
  seen.length = 0;
  const server = createServer(machineListener(routes, ORIGIN, { proxies: options.proxies ?? new BlockList(), fallback: options.fallback }));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** The X-Request-Id of each answer, in order (a test of its own reads them; the others compare the rest). */
const answeredIds: string[] = [];

/** One request with exactly these headers and body; the answer without the connection's own headers or its request id. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const { date: _date, connection: _connection, "keep-alive": _keepAlive, "x-request-id": requestId, ...rest } = res.headers;
        answeredIds.push(String(requestId));
        resolve({ status: res.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the self-hosted mount of the machine paths", () => {
  it("routes by the path without its query, hands the handler the method, the whole URL and the headers, and answers with the baseline headers added", async () => {
    const port = await serve({ "/echo": echo });
    expect(await send(port, "GET", "/echo?x=1&y=2", { "x-forwarded-for": "203.0.113.9" })).toEqual({
      status: 201,
      headers: { ...BASELINE, "x-answer": "1", "content-type": "text/plain", "content-length": String(Buffer.byteLength("héllo")) },
      body: "héllo",
    });
    expect(seen).toEqual([
      { method: "GET", url: `${ORIGIN}/echo?x=1&y=2`, address: "127.0.0.1", forwarded: "203.0.113.9", length: null, bytes: 0 },
    ]);
  });

  it("answers HEAD with the headers and no body", async () => {
    const port = await serve({ "/echo": echo });
    expect(await send(port, "HEAD", "/echo")).toEqual({
      status: 201,
      headers: { ...BASELINE, "x-answer": "1", "content-type": "text/plain", "content-length": "0" },
      body: "",
    });
  });

  it("hands over a body up to the form bound whole, and a larger one cut at bound + 1 bytes so the handler refuses it", async () => {
    const port = await serve({ "/echo": echo });
    for (const size of [10, MAX_FORM_BYTES, MAX_FORM_BYTES + 1, 3 * MAX_FORM_BYTES]) {
      await send(port, "POST", "/echo", { "content-type": "application/x-www-form-urlencoded" }, Buffer.alloc(size, 0x61));
    }
    expect(seen.map((s) => [s.method, s.bytes, s.length])).toEqual([
      ["POST", 10, null],
      ["POST", MAX_FORM_BYTES, null],
      ["POST", MAX_FORM_BYTES + 1, null],
      ["POST", MAX_FORM_BYTES + 1, null],
    ]);
  });

  it("answers a body of exactly the 8 MiB hard cap, and cuts the connection of a larger one without calling the handler", async () => {
    const port = await serve({ "/echo": echo });
    expect((await send(port, "POST", "/echo", {}, Buffer.alloc(8 * 1024 * 1024, 0x61))).status).toBe(201);
    expect(seen.map((s) => s.bytes)).toEqual([MAX_FORM_BYTES + 1]);
    seen.length = 0;
    await expect(send(port, "POST", "/echo", {}, Buffer.alloc(8 * 1024 * 1024 + MAX_FORM_BYTES, 0x61))).rejects.toThrow();
    expect(seen).toEqual([]);
  });

  it("answers an unknown path with a JSON 404, or hands it to the fallback when there is one", async () => {
    const port = await serve({ "/echo": echo });
    expect(await send(port, "GET", "/nowhere?/echo")).toEqual({
      status: 404,
      headers: { ...BASELINE, "content-type": "application/json", "transfer-encoding": "chunked" },
      body: '{"error":"not_found"}',
    });
    const fallbackPort = await serve({ "/echo": echo }, { fallback: (_req, res) => res.writeHead(299).end("next") });
    expect(await send(fallbackPort, "GET", "/nowhere")).toEqual({ status: 299, headers: { "transfer-encoding": "chunked" }, body: "next" });
    expect(seen).toEqual([]);
  });

  it("answers a handler that fails with a JSON 503 the client may retry", async () => {
    const port = await serve({
      "/fail": async () => {
        throw new Error("boom");
      },
    });
    expect(await send(port, "GET", "/fail")).toEqual({
      status: 503,
      headers: { ...BASELINE, "content-type": "application/json", "retry-after": "1", "transfer-encoding": "chunked" },
      body: '{"error":"temporarily_unavailable"}',
    });
  });

  it("gives every answer an X-Request-Id: the caller's when it is a short safe token, a new UUID otherwise, also to the handler and the fallback", async () => {
    const handed: (string | null)[] = [];
    const port = await serve(
      {
        "/echo": async (request) => {
          handed.push(request.headers.get("x-request-id"));
          return new Response("ok");
        },
        "/fail": async () => {
          throw new Error("boom");
        },
      },
      {
        fallback: (req, res) => {
          handed.push(String(req.headers["x-request-id"]));
          res.writeHead(404).end();
        },
      },
    );
    answeredIds.length = 0;
    await send(port, "GET", "/echo", { "x-request-id": "lb-7f3a:01.2_x" });
    await send(port, "GET", "/echo", { "x-request-id": "not ok <script>" });
    await send(port, "GET", "/echo", { "x-request-id": "a".repeat(65) });
    await send(port, "GET", "/elsewhere", { "x-request-id": "from-the-balancer" });
    await send(port, "GET", "/fail");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(answeredIds[0]).toBe("lb-7f3a:01.2_x");
    expect(answeredIds[1]).toMatch(uuid);
    expect(answeredIds[2]).toMatch(uuid);
    expect(answeredIds[3]).toBe("from-the-balancer");
    expect(answeredIds[4]).toMatch(uuid);
    expect(new Set(answeredIds).size).toBe(5);
    expect(handed).toEqual(answeredIds.slice(0, 4));
  });

  it("stamps the socket's address over whatever the caller claims, and believes X-Forwarded-For only from a trusted proxy", async () => {
    const claims = { [CLIENT_ADDRESS_HEADER]: "198.51.100.66", "x-forwarded-for": "203.0.113.9" };
    const addresses: (string | null)[] = [];
    for (const proxies of [new BlockList(), trustedProxies("127.0.0.1/32")]) {
      await send(await serve({ "/echo": echo }, { proxies }), "GET", "/echo", claims);
      addresses.push(...seen.map((s) => s.address));
    }
    expect(addresses).toEqual(["127.0.0.1", "203.0.113.9"]);
  });
});

describe("stampClientAddress", () => {
  const message = (remoteAddress: string | undefined, headers: IncomingHttpHeaders) =>
    ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;
  const proxies = trustedProxies("10.0.0.0/8");

  it("reads several X-Forwarded-For headers as one list, walking from the right past trusted proxies", () => {
    const req = message("10.0.0.1", { "x-forwarded-for": ["203.0.113.9", "10.0.0.2"] as unknown as string });
    stampClientAddress(req, proxies);
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe("203.0.113.9");
  });

  it("removes a claimed address when the client's cannot be known", () => {
    const unknownSocket = message(undefined, { [CLIENT_ADDRESS_HEADER]: "198.51.100.66" });
    stampClientAddress(unknownSocket, proxies);
    const unreadableHop = message("10.0.0.1", { [CLIENT_ADDRESS_HEADER]: "198.51.100.66", "x-forwarded-for": "unknown" });
    stampClientAddress(unreadableHop, proxies);
    expect([unknownSocket.headers, unreadableHop.headers]).toEqual([{}, { "x-forwarded-for": "unknown" }]);
  });
});
