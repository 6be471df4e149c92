// A private PgBouncer in transaction pooling mode in front of the Postgres server of DATABASE_URL,
// for tests (npm run test:pgbouncer, the PgBouncer stage of npm test): its own config in a temp
// folder, its own port, started and stopped by its PID. docs/operations.md, "Connection pooling".
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** The pgbouncer binary, or null: PATH, then Debian's /usr/sbin (not on a non-root PATH). */
export function findPgbouncer() {
  const which = spawnSync("sh", ["-c", "command -v pgbouncer"], { encoding: "utf8" });
  const found = which.status === 0 ? which.stdout.trim() : "";
  if (found) return found;
  return existsSync("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : null;
}

function version(binary) {
  const out = spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout ?? "";
  const m = /PgBouncer (\d+)\.(\d+)/.exec(out);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const quote = (s) => `"${s.replaceAll('"', '""')}"`;

/** A port nothing listens on now, for a PgBouncer of a test's own. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PgBouncer for `serverUrl` (postgres://user:password@host:port/db) on 127.0.0.1:`port`.
 * Returns the URL to use instead (same user, password and database) and stop().
 */
export async function startPgbouncer(serverUrl, port = 6460) {
  const binary = findPgbouncer();
  if (!binary) throw new Error("pgbouncer is not installed (Debian: apt-get install pgbouncer)");
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || "postgres");
  const password = decodeURIComponent(server.password);
  const folder = mkdtempSync(path.join(tmpdir(), "rotor-pgbouncer-"));
  const [major, minor] = version(binary);
  const lines = [
    "[databases]",
    // Every database name, so tests' own fresh databases pass through too.
    `* = host=${server.hostname} port=${server.port || 5432}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    // Clients on loopback only are trusted; PgBouncer logs in to the server with the password below.
    "auth_type = trust",
    `auth_file = ${path.join(folder, "userlist.txt")}`,
    "pool_mode = transaction",
    "max_client_conn = 2000",
    // The server is shared (max_connections 100 on the CI machine): per database 10, in all 40.
    "default_pool_size = 10",
    "max_user_connections = 40",
    // Test databases come and go: idle server connections to them are closed soon.
    "server_idle_timeout = 5",
    "server_lifetime = 300",
    "ignore_startup_parameters = extra_float_digits",
    `logfile = ${path.join(folder, "pgbouncer.log")}`,
    `pidfile = ${path.join(folder, "pgbouncer.pid")}`,
    // From 1.21 PgBouncer can carry named prepared statements across server connections; off here,
    // so a client that prepares by name fails as on every older PgBouncer (DATABASE_POOL_MODE).
    ...(major > 1 || minor >= 21 ? ["max_prepared_statements = 0"] : []),
  ];
  writeFileSync(path.join(folder, "pgbouncer.ini"), `${lines.join("\n")}\n`);
  writeFileSync(path.join(folder, "userlist.txt"), `${quote(user)} ${quote(password)}\n`);
  // PgBouncer refuses to run as root: it then runs as nobody, which must read and write its folder.
  const args = [];
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync("id", ["-u", "nobody"], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "nobody"], { encoding: "utf8" }).stdout.trim());
    for (const f of ["", "pgbouncer.ini", "userlist.txt"]) chownSync(path.join(folder, f), uid, gid);
    args.push("-u", "nobody");
  }
  args.push(path.join(folder, "pgbouncer.ini"));
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d.toString();
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const log = () => {
    const file = path.join(folder, "pgbouncer.log");
    return `${stderr}${existsSync(file) ? readFileSync(file, "utf8") : ""}`.slice(-2000);
  };
  for (let i = 0; i < 200 && !exited; i++) {
    if (await accepts(port)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (exited || !(await accepts(port))) {
    if (!exited) process.kill(child.pid, "SIGINT");
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`pgbouncer did not start on 127.0.0.1:${port}:\n${log()}`);
  }
  const url = new URL(serverUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    pid: child.pid,
    log,
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        // SIGINT: PgBouncer's immediate shutdown (SIGTERM would wait for clients to leave).
        process.kill(child.pid, "SIGINT");
        await gone;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
