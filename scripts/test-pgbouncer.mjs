// `npm run test:pgbouncer [-- <vitest arguments>]`: the vitest suite with DATABASE_URL through a
// private PgBouncer in transaction pooling mode (scripts/pgbouncer.mjs) and
// DATABASE_POOL_MODE=transaction, to prove Rotor keeps no session state between transactions.
// DATABASE_URL must point at the Postgres server; PGBOUNCER_PORT (default 6460) where to listen.
// Exits with vitest's status.
import { spawn } from "node:child_process";
import { startPgbouncer } from "./pgbouncer.mjs";

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error("test:pgbouncer needs DATABASE_URL pointing at a Postgres server, e.g. postgres://rotor:rotor@127.0.0.1:5432/rotor");
  process.exit(2);
}
const bouncer = await startPgbouncer(serverUrl, Number(process.env.PGBOUNCER_PORT ?? 6460));
console.info(`PgBouncer (transaction pooling) pid ${bouncer.pid} on ${new URL(bouncer.url).host}`);
let code = 1;
try {
  const child = spawn("npx", ["vitest", "run", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: bouncer.url, DATABASE_POOL_MODE: "transaction" },
  });
  const stop = () => child.kill("SIGINT");
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  code = await new Promise((resolve) => child.once("exit", (status) => resolve(status ?? 1)));
} finally {
  await bouncer.stop();
}
process.exit(code);
