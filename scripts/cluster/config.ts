/**
 * The self-hosted cluster's configuration files, as docs/deploy.md ("A self-hosted cluster")
 * explains them: HAProxy in front of the instances, PgBouncer between them and Postgres. Pure
 * text, so the harness, the benchmark and the documentation show the same thing.
 */

/**
 * What HAProxy asks each instance before sending it requests: ready means the database answers,
 * the migrations are current and a signing key is usable, and an instance that has begun to shut
 * down answers 503 at once (lib/health/readiness.ts), so the balancer moves traffic away during
 * its drain delay.
 */
export const HEALTH_PATH = "/readyz";

export const BALANCER_PORT = 4100;
export const INSTANCE_PORTS = [4101, 4102, 4103] as const;
export const PGBOUNCER_PORT = 6450;

/** Health checks every 500 ms; two failures take an instance out, two successes put it back. */
export const CHECK_INTERVAL_MS = 500;
export const CHECK_FALL = 2;
export const CHECK_RISE = 2;

export function haproxyConfig(options: {
  balancerPort: number;
  instancePorts: readonly number[];
  statsSocket: string;
  /** Off only to measure what retrying is worth (bench:rolling with BENCH_NO_RETRIES=1). */
  retries?: boolean;
}): string {
  const retrying =
    options.retries === false
      ? "  retries 0"
      : `  # A connection an instance refuses (it is stopping or not up yet) is tried again, on another
  # instance from the first retry on (redispatch). A connection an instance closed without
  # answering (a kept-alive connection it shut while the request was on its way) is retried too:
  # nothing reached the application, so nothing is done twice.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response
  # Requests are buffered so they can be retried (token requests are small forms).
  option http-buffer-request`;
  const servers = options.instancePorts.map((port, i) => `  server rotor${i + 1} 127.0.0.1:${port} check`).join("\n");
  return `global
  maxconn 4096
  stats socket ${options.statsSocket} mode 600 level admin

defaults
  mode http
  option httplog
  # The balancer's X-Forwarded-For is believed by the instances (ROTOR_TRUSTED_PROXIES).
  option forwardfor
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 10s
  timeout http-request 10s
${retrying}

frontend rotor
  bind 127.0.0.1:${options.balancerPort}
  default_backend instances

backend instances
  balance roundrobin
  # One request per server-side connection: a stopping instance then has no idle kept-alive
  # connection from the balancer to wait for, and no request arrives on a connection it is closing.
  option http-server-close
  option httpchk GET ${HEALTH_PATH}
  http-check expect status 200
  default-server inter ${CHECK_INTERVAL_MS}ms fastinter ${CHECK_INTERVAL_MS / 2}ms downinter ${CHECK_INTERVAL_MS}ms fall ${CHECK_FALL} rise ${CHECK_RISE}
${servers}
`;
}

/**
 * Transaction pooling: a server connection belongs to a client connection for one transaction
 * only, so many instances' pools share a few Postgres connections. Rotor must then not use
 * prepared statements (DATABASE_POOL_MODE=transaction: postgres.js with prepare: false); advisory
 * locks it takes are transaction-scoped (pg_advisory_xact_lock), which transaction pooling keeps.
 */
export function pgbouncerConfig(options: { port: number; authFile: string; postgresHost: string; postgresPort: number }): string {
  return `[databases]
* = host=${options.postgresHost} port=${options.postgresPort}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${options.port}
unix_socket_dir =
auth_type = trust
auth_file = ${options.authFile}
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
reserve_pool_size = 5
server_reset_query =
ignore_startup_parameters = extra_float_digits
`;
}
