import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { machineListener } from "@/lib/oauth/node-adapter";
import { CLIENT_ADDRESS_HEADER, normaliseAddress, resolveClientAddress, trustedProxies } from "./client-address";

describe("a request's client address", () => {
  const none = trustedProxies(undefined);
  const lb = trustedProxies("10.0.0.0/8, 192.168.1.7/32, fd00::/8");

  it("is the socket's address when the socket is not a trusted proxy, whatever X-Forwarded-For claims", () => {
    expect(resolveClientAddress("203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9");
    expect(resolveClientAddress("203.0.113.9", "10.1.1.1", lb)).toBe("203.0.113.9");
  });

  it("walks X-Forwarded-For from the right past trusted proxies only: the first untrusted hop is the client", () => {
    // The client wrote "1.1.1.1" itself; our balancer (10.0.0.5) appended the real address.
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, 198.51.100.7", lb)).toBe("198.51.100.7");
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, 198.51.100.7, 192.168.1.7", lb)).toBe("198.51.100.7");
    expect(resolveClientAddress("fd00::1", "2001:db8::42", lb)).toBe("2001:db8::42");
  });

  it("falls back to the leftmost hop when every hop is a trusted proxy, and to the socket without any", () => {
    expect(resolveClientAddress("10.0.0.5", "10.9.9.9, 10.0.0.4", lb)).toBe("10.9.9.9");
    expect(resolveClientAddress("10.0.0.5", undefined, lb)).toBe("10.0.0.5");
    expect(resolveClientAddress("10.0.0.5", "", lb)).toBe("10.0.0.5");
  });

  it("stops at a hop it cannot read: what is left of it was not written by a trusted proxy", () => {
    expect(resolveClientAddress("10.0.0.5", "9.9.9.9, unknown", lb)).toBeNull();
    expect(resolveClientAddress("10.0.0.5", "9.9.9.9, , ", lb)).toBeNull();
    // Ports, as some proxies write them, are read, not skipped.
    expect(resolveClientAddress("10.0.0.5", "9.9.9.9, 203.0.113.5:4711", lb)).toBe("203.0.113.5");
    expect(resolveClientAddress("10.0.0.5", "9.9.9.9, [2001:db8::1]:443", lb)).toBe("2001:db8::1");
  });

  it("reads an IPv4 client on a dual-stack socket as IPv4, and refuses what is not an address", () => {
    expect(normaliseAddress("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(normaliseAddress("203.0.113.9\u0000")).toBeNull();
    expect(normaliseAddress("")).toBeNull();
    expect(resolveClientAddress("::ffff:10.0.0.5", "198.51.100.7", lb)).toBe("198.51.100.7");
  });

  it("is stamped by the self-hosted server over any copy the caller sent", async () => {
    const seen: (string | null)[] = [];
    const listener = machineListener(
      {
        "/probe": async (req) => {
          seen.push(req.headers.get(CLIENT_ADDRESS_HEADER));
          return new Response("{}");
        },
      },
      "http://localhost",
      { proxies: none },
    );
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const get = (headers: Record<string, string>) =>
      new Promise<void>((resolve, reject) => {
        request({ host: "127.0.0.1", port, path: "/probe", headers }, (res) => {
          res.resume();
          res.on("end", resolve);
        })
          .on("error", reject)
          .end();
      });
    try {
      await get({ "x-forwarded-for": "198.51.100.7", [CLIENT_ADDRESS_HEADER]: "6.6.6.6" });
    } finally {
      server.close();
    }
    expect(seen).toEqual(["127.0.0.1"]);
  });
});
