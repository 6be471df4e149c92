/**
 * The machine-facing paths alone (token endpoint, JWKS, metadata, introspection, whoami) on a Node
 * http server, against the configured database. For tests that need several instances sharing one
 * Postgres, as behind a load balancer.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { env } from "@/lib/env";
import { markClientAddressesStamped, trustedProxies } from "@/lib/http/client-address";
import { shutDownOnSignals } from "@/lib/http/process-shutdown";
import { log } from "@/lib/log/logger";
import { machineListener } from "@/lib/oauth/node-adapter";
import { getMachine } from "@/lib/oauth/runtime";

const e = env();
const machine = await getMachine();
markClientAddressesStamped();
const server = createServer(machineListener(machine.routes, e.ROTOR_PUBLIC_URL, { proxies: trustedProxies(e.ROTOR_TRUSTED_PROXIES) }));
// The same shutdown as scripts/server.ts, so tests can prove it without a Next build.
shutDownOnSignals(server, machine);
server.listen(e.PORT, "127.0.0.1", () => log().info(`machine listening on ${(server.address() as AddressInfo).port}`));
