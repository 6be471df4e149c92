import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkOutboundTarget,
  checkOutboundUrl,
  isPublicAddress,
  OutboundError,
  type OutboundLimits,
  outboundGet,
  outboundPost,
} from "./outbound";

describe("only public unicast addresses are public", () => {
  it.each(["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"])("%s is public", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["127.0.0.1", "loopback"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["::1", "IPv6 loopback"],
    ["fe80::1", "IPv6 link-local"],
    ["fc00::1", "IPv6 unique-local"],
    ["::ffff:10.0.0.1", "an IPv4-mapped private address"],
    ["::ffff:127.0.0.1", "an IPv4-mapped loopback"],
    ["not-an-address", "not an address at all"],
  ])("%s is not (%s)", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe("an address is checked before connecting", () => {
  const production = { allowPrivateAddresses: false, allowHttp: false };

  it("takes an https URL on a name", () => {
    expect(checkOutboundUrl("https://keys.example.com/jwks.json", production).toString()).toBe("https://keys.example.com/jwks.json");
  });

  it.each([
    ["http://keys.example.com/jwks.json", "Use an https:// URL."],
    ["ftp://keys.example.com/jwks.json", "Use an https:// URL."],
    ["https://user:pw@keys.example.com/", "The URL must not carry a user name or password."],
    ["https://user@keys.example.com/", "The URL must not carry a user name or password."],
    ["https://:pw@keys.example.com/", "The URL must not carry a user name or password."],
    ["https://169.254.169.254/latest/meta-data/", "169.254.169.254 is not a public address."],
    ["https://[::1]/jwks.json", "::1 is not a public address."],
    ["https://10.1.2.3/", "10.1.2.3 is not a public address."],
    ["keys.example.com/jwks.json", "This is not a URL."],
  ])("refuses %s: %s", (url, message) => {
    expect(() => checkOutboundUrl(url, production)).toThrow(new OutboundError(message));
  });

  it("outside production, a plain-http localhost test server is allowed when asked for", () => {
    expect(checkOutboundUrl("http://127.0.0.1:4000/jwks", { allowPrivateAddresses: true, allowHttp: true }).host).toBe("127.0.0.1:4000");
  });
});

describe("an address about to be written down is checked where its name points now", () => {
  const production = { allowPrivateAddresses: false, allowHttp: false };
  const answers: Record<string, string[]> = {
    "keys.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "internal.example.com": ["93.184.215.14", "10.0.0.7"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
  };
  const resolve = async (host: string) => {
    const found = answers[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address }));
  };

  it("takes a name whose every address is public, and a name that does not resolve yet", async () => {
    expect((await checkOutboundTarget("https://keys.example.com/jwks.json", production, resolve)).host).toBe("keys.example.com");
    expect((await checkOutboundTarget("https://not-yet.example.com/jwks.json", production, resolve)).host).toBe("not-yet.example.com");
  });

  it("refuses a name with any address that is not public, naming it", async () => {
    await expect(checkOutboundTarget("https://internal.example.com/jwks.json", production, resolve)).rejects.toThrow(
      new OutboundError("internal.example.com resolves to 10.0.0.7, which is not a public address."),
    );
    await expect(checkOutboundTarget("https://mapped.example.com/jwks.json", production, resolve)).rejects.toThrow(
      new OutboundError("mapped.example.com resolves to ::ffff:127.0.0.1, which is not a public address."),
    );
  });

  it("refuses localhost through the system's own resolver", async () => {
    await expect(checkOutboundTarget("https://localhost/jwks.json", production)).rejects.toThrow(
      /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address\.$/,
    );
  });

  it("still refuses what checkOutboundUrl refuses, and resolves nothing where private addresses are allowed", async () => {
    await expect(checkOutboundTarget("https://10.1.2.3/", production, resolve)).rejects.toThrow(
      new OutboundError("10.1.2.3 is not a public address."),
    );
    const never = async () => {
      throw new Error("no look-up expected");
    };
    expect((await checkOutboundTarget("http://localhost:4000/jwks", { allowPrivateAddresses: true, allowHttp: true }, never)).host).toBe(
      "localhost:4000",
    );
  });
});

describe("a request to a test server", () => {
  const posted: { method: string; type: string | undefined; signature: string | string[] | undefined; body: string }[] = [];
  let server: Server;
  let base: string;
  const routes: Record<string, (res: import("node:http").ServerResponse) => void> = {
    "/jwks": (res) => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=600" });
      res.end('{"keys":[]}');
    },
    "/big": (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("x".repeat(2048));
    },
    "/silent": () => {},
    "/exact": (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("x".repeat(1024));
    },
    "/located": (res) => {
      res.writeHead(200, { location: "/jwks" });
      res.end("here");
    },
    "/bare-redirect": (res) => {
      res.writeHead(302);
      res.end("no location");
    },
    "/three": (res) => {
      res.writeHead(307, { location: "/hop1" });
      res.end();
    },
    "/four": (res) => {
      res.writeHead(308, { location: "/three" });
      res.end();
    },
    "/hop1": (res) => {
      res.writeHead(302, { location: "/hop2" });
      res.end();
    },
    "/hop2": (res) => {
      res.writeHead(301, { location: "/jwks" });
      res.end();
    },
    "/loop": (res) => {
      res.writeHead(302, { location: "/loop" });
      res.end();
    },
    "/hook": (res) => {
      res.writeHead(204);
      res.end();
    },
    "/hook-huge": (res) => {
      res.writeHead(500);
      res.end("e".repeat(100_000));
    },
    "/to-credentials": (res) => {
      res.writeHead(302, { location: "http://user:pw@127.0.0.1/jwks" });
      res.end();
    },
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        posted.push({
          method: req.method ?? "",
          type: req.headers["content-type"],
          signature: req.headers["webhook-signature"],
          body: Buffer.concat(chunks).toString("utf8"),
        });
        (routes[req.url ?? ""] ?? ((r) => r.writeHead(404).end()))(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const test: OutboundLimits = { allowPrivateAddresses: true, allowHttp: true, timeoutMs: 2_000, maxBytes: 1024, maxRedirects: 3 };

  it("reads the answer, its status and headers", async () => {
    const answer = await outboundGet(`${base}/jwks`, test);
    expect(answer).toMatchObject({ url: `${base}/jwks`, status: 200, body: '{"keys":[]}' });
    expect(answer.headers["cache-control"]).toBe("max-age=600");
  });

  it("follows redirects, and says where it ended", async () => {
    expect(await outboundGet(`${base}/hop1`, test)).toMatchObject({ url: `${base}/jwks`, status: 200 });
  });

  it("follows exactly the allowed number of redirects, and no more", async () => {
    expect(await outboundGet(`${base}/three`, test)).toMatchObject({ url: `${base}/jwks`, status: 200 });
    await expect(outboundGet(`${base}/four`, test)).rejects.toThrow(new OutboundError("More than 3 redirects."));
  });

  it("follows only a 3xx that says where to: a Location on a 200, or a 302 without one, is the answer", async () => {
    expect(await outboundGet(`${base}/located`, test)).toMatchObject({ url: `${base}/located`, status: 200, body: "here" });
    expect(await outboundGet(`${base}/bare-redirect`, test)).toMatchObject({ status: 302, body: "no location" });
  });

  it("reads an answer of exactly the limit", async () => {
    expect((await outboundGet(`${base}/exact`, test)).body).toHaveLength(1024);
  });

  it("says when a name does not resolve, or nobody listens", async () => {
    await expect(outboundGet("http://no-such-host.invalid/jwks", test)).rejects.toThrow(
      new OutboundError("The host name does not resolve."),
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(outboundGet(`http://127.0.0.1:${port}/jwks`, test)).rejects.toThrow(new OutboundError("The connection was refused."));
  });

  it("stops after the allowed number of redirects", async () => {
    await expect(outboundGet(`${base}/loop`, test)).rejects.toThrow(new OutboundError("More than 3 redirects."));
  });

  it("checks every redirect's address like the first", async () => {
    await expect(outboundGet(`${base}/to-credentials`, test)).rejects.toThrow(
      new OutboundError("The URL must not carry a user name or password."),
    );
  });

  it("refuses an answer larger than the limit", async () => {
    await expect(outboundGet(`${base}/big`, test)).rejects.toThrow(new OutboundError("The answer is larger than 1 KiB."));
  });

  it("gives up on a server that never answers", async () => {
    await expect(outboundGet(`${base}/silent`, { ...test, timeoutMs: 300 })).rejects.toThrow(
      new OutboundError("No complete answer within 0.3 s."),
    );
  });

  it("in production, refuses a name that resolves to a loopback address, on the address it resolved to", async () => {
    const port = new URL(base).port;
    await expect(outboundGet(`http://localhost:${port}/jwks`, { ...test, allowPrivateAddresses: false })).rejects.toThrow(
      /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address\.$/,
    );
  });

  it("posts a webhook's body and headers, and reads the status", async () => {
    posted.length = 0;
    expect(await outboundPost(`${base}/hook`, '{"type":"webhook.test"}', test, { "webhook-signature": "v1,abc" })).toEqual({
      status: 204,
      body: "",
    });
    expect(posted).toEqual([{ method: "POST", type: "application/json", signature: "v1,abc", body: '{"type":"webhook.test"}' }]);
  });

  it("does not follow a redirect from a webhook endpoint: the 3xx is the answer", async () => {
    posted.length = 0;
    expect((await outboundPost(`${base}/three`, "{}", test)).status).toBe(307);
    expect(posted.map((p) => p.method)).toEqual(["POST"]);
  });

  it("keeps only the first maxBytes of a huge answer, without failing", async () => {
    const answer = await outboundPost(`${base}/hook-huge`, "{}", test);
    expect(answer).toEqual({ status: 500, body: "e".repeat(1024) });
  });

  it("gives up on a webhook endpoint that never answers, and refuses a private address in production", async () => {
    await expect(outboundPost(`${base}/silent`, "{}", { ...test, timeoutMs: 300 })).rejects.toThrow(
      new OutboundError("No complete answer within 0.3 s."),
    );
    await expect(outboundPost(`${base}/hook`, "{}", { ...test, allowPrivateAddresses: false })).rejects.toThrow(
      new OutboundError("127.0.0.1 is not a public address."),
    );
    const port = new URL(base).port;
    await expect(outboundPost(`http://localhost:${port}/hook`, "{}", { ...test, allowPrivateAddresses: false })).rejects.toThrow(
      /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address\.$/,
    );
  });
});
