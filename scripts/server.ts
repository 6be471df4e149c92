/**
 * `npm start`: the self-hosted production server. The machine-facing paths (/oauth/*,
 * /.well-known/*, /api/v1/whoami) are served directly by the token core, without Next.js's
 * per-request cost; every other path goes to Next's request handler. Serverless and Vercel
 * deployments use the route handlers instead: same core, same behaviour.
 */
import { createServer } from "node:http";
import next from "next";
import { env } from "@/lib/env";
import { markClientAddressesStamped, trustedProxies } from "@/lib/http/client-address";
import { shutDownOnSignals } from "@/lib/http/process-shutdown";
import { log } from "@/lib/log/logger";
import { metricsRoute } from "@/lib/metrics/runtime";
import { machineListener } from "@/lib/oauth/node-adapter";
import { getMachine } from "@/lib/oauth/runtime";
import { startOrExit } from "@/lib/startup";

// Validates the settings and the key ring, and opens (for the embedded database migrates and
// seeds) before anything listens; a bad setting ends here with its message, not a stack trace. The
// demo's scheduler timer is started by Next's instrumentation, inside Next's own module graph.
await startOrExit({ scheduler: false });
const e = env();
const hostname = e.HOSTNAME ?? "0.0.0.0";
const app = next({ dev: false, hostname, port: e.PORT });
const handle = app.getRequestHandler();
await app.prepare();
const machine = await getMachine();
// This server decides every request's client address from its socket (lib/http/client-address.ts);
// the marker tells code in this process (Next's too) that the stamped header can be believed.
markClientAddressesStamped();
const server = createServer(
  machineListener({ ...machine.routes, "/metrics": metricsRoute }, e.ROTOR_PUBLIC_URL, {
    fallback: (req, res) => void handle(req, res),
    proxies: trustedProxies(e.ROTOR_TRUSTED_PROXIES),
  }),
);
server.keepAliveTimeout = 65_000;
// SIGTERM/SIGINT: /readyz reports draining while requests are still served, then no new
// connections, in-flight requests finish, usage is flushed, the database closed (docs/operations.md).
shutDownOnSignals(server, machine);
server.listen(e.PORT, hostname, () => log().info({ port: e.PORT }, `Rotor listening on ${e.ROTOR_PUBLIC_URL} (port ${e.PORT})`));
