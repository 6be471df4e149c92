import { describe, expect, it } from "vitest";
import { OAuthError } from "@/lib/oauth/errors";
import { createMetricsEndpoint } from "./endpoint";
import { metrics, renderMetrics } from "./metrics";
import { authFailureReason, countRateLimitRefusal, countSecretIssued, observeTokenRequest, tokenAuthMethod } from "./record";
import { seriesValue } from "./testing";

const outbox = async () => ({ pending: 3, oldestPendingAgeSeconds: 42.5, dead: 1, webhooks: { pending: 7, dead: 2 } });
const scrape = async () => (await renderMetrics(outbox)).text;
const TOKEN = "m".repeat(40);

describe("the metrics (docs/observability.md)", () => {
  it("names a token request's method from what it sent, before anything is checked", () => {
    expect(tokenAuthMethod("Basic abc", new Map([["client_secret", "x"]]))).toBe("client_secret_basic");
    expect(tokenAuthMethod(null, new Map([["client_secret", "x"]]))).toBe("client_secret_post");
    expect(tokenAuthMethod(null, new Map([["client_assertion", "x"]]))).toBe("private_key_jwt");
    expect(tokenAuthMethod("Bearer x", new Map())).toBe("none");
    expect(tokenAuthMethod(null, undefined)).toBe("none");
  });

  it("gives a failed client authentication one reason per method, telling a replayed assertion apart", () => {
    const replay = new OAuthError("invalid_client", "This assertion's jti has already been used: sign a new assertion for every request.");
    const other = new OAuthError("invalid_client", "Client authentication failed.");
    expect(authFailureReason("none", other)).toBe("no_credentials");
    expect(authFailureReason("client_secret_basic", other)).toBe("secret_rejected");
    expect(authFailureReason("client_secret_post", other)).toBe("secret_rejected");
    expect(authFailureReason("private_key_jwt", replay)).toBe("assertion_replayed");
    expect(authFailureReason("private_key_jwt", other)).toBe("assertion_rejected");
  });

  it("counts a token request by method and result, times it, and counts an invalid_client as an authentication failure", async () => {
    const before = await scrape();
    observeTokenRequest(performance.now(), "Basic x", new Map(), "success");
    observeTokenRequest(performance.now(), null, new Map([["client_secret", "x"]]), new OAuthError("invalid_client", "no"));
    observeTokenRequest(performance.now(), null, new Map([["client_assertion", "x"]]), new Error("database down"));
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => seriesValue(after, name, labels) - seriesValue(before, name, labels);
    expect(delta("rotor_token_requests_total", { auth_method: "client_secret_basic", result: "success" })).toBe(1);
    expect(delta("rotor_token_requests_total", { auth_method: "client_secret_post", result: "invalid_client" })).toBe(1);
    expect(delta("rotor_token_requests_total", { auth_method: "private_key_jwt", result: "server_error" })).toBe(1);
    expect(delta("rotor_client_auth_failures_total", { reason: "secret_rejected" })).toBe(1);
    expect(delta("rotor_client_auth_failures_total", { reason: "assertion_rejected" })).toBe(0);
    expect(delta("rotor_token_request_duration_seconds_count", { auth_method: "client_secret_basic" })).toBe(1);
    expect(delta("rotor_token_request_duration_seconds_bucket", { auth_method: "client_secret_basic", le: "+Inf" })).toBe(1);
  });

  it("counts a GET at the token endpoint as the invalid_request it is answered with, not a success", async () => {
    const { createTokenEndpoint } = await import("@/lib/oauth/token-endpoint");
    const endpoint = createTokenEndpoint({} as Parameters<typeof createTokenEndpoint>[0]);
    const before = await scrape();
    expect((await endpoint(new Request("https://rotor.test/oauth/token"))).status).toBe(405);
    const after = await scrape();
    const delta = (result: string) =>
      seriesValue(after, "rotor_token_requests_total", { auth_method: "none", result }) -
      seriesValue(before, "rotor_token_requests_total", { auth_method: "none", result });
    expect([delta("invalid_request"), delta("success")]).toEqual([1, 0]);
  });

  it("shows every labelled series at 0 before its first event, and the outbox as read at scrape time", async () => {
    const text = await scrape();
    expect(text).toMatch(/^rotor_rate_limit_refusals_total\{limit="sign_in_per_email_total"\} \d+$/m);
    expect(text).toMatch(/^rotor_secrets_issued_total\{how="cli"\} \d+$/m);
    expect(text).toMatch(/^rotor_reminders_enqueued_total\{kind="key"\} \d+$/m);
    expect(text).toMatch(/^rotor_scheduler_runs_total\{result="failure"\} \d+$/m);
    expect(seriesValue(text, "rotor_outbox_pending_messages")).toBe(3);
    expect(seriesValue(text, "rotor_outbox_oldest_pending_age_seconds")).toBe(42.5);
    expect(seriesValue(text, "rotor_outbox_dead_messages")).toBe(1);
    expect(seriesValue(text, "rotor_webhook_pending_deliveries")).toBe(7);
    expect(seriesValue(text, "rotor_webhook_dead_deliveries")).toBe(2);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  // prom-client writes "Nan", which Prometheus's parser reads as NaN (Go's ParseFloat ignores case).
  it("shows the outbox as NaN, not stale figures, when the database cannot be read", async () => {
    const text = (
      await renderMetrics(async () => {
        throw new Error("connection refused");
      })
    ).text;
    expect(text).toMatch(/^rotor_outbox_pending_messages NaN$/im);
    expect(text).toMatch(/^rotor_outbox_dead_messages NaN$/im);
    expect(text).toMatch(/^rotor_webhook_pending_deliveries NaN$/im);
  });

  it("counts refusals by limit and secrets by how they were issued, into one registry per process", async () => {
    const before = await scrape();
    countRateLimitRefusal("api_per_token");
    countSecretIssued("api_token");
    countSecretIssued("user");
    countSecretIssued("auto", 0);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => seriesValue(after, name, labels) - seriesValue(before, name, labels);
    expect(delta("rotor_rate_limit_refusals_total", { limit: "api_per_token" })).toBe(1);
    expect(delta("rotor_secrets_issued_total", { how: "api" })).toBe(1);
    expect(delta("rotor_secrets_issued_total", { how: "manual" })).toBe(1);
    expect(delta("rotor_secrets_issued_total", { how: "auto" })).toBe(0);
    expect(metrics()).toBe((globalThis as Record<symbol, unknown>)[Symbol.for("rotor.metrics")]);
  });
});

describe("GET /metrics", () => {
  const endpoint = (token: string | undefined) => createMetricsEndpoint({ token: () => token, readOutbox: outbox });
  const get = (headers: Record<string, string> = {}, method = "GET") => new Request("https://rotor.test/metrics", { method, headers });

  it("does not exist (404) while no token is configured, whatever is sent", async () => {
    const answer = await endpoint(undefined)(get({ authorization: `Bearer ${TOKEN}` }));
    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain("rotor_");
  });

  it("refuses a missing, wrong, differently cased or non-Bearer token with 401 and a Bearer challenge", async () => {
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Basic ${TOKEN}`,
      `Bearer  ${TOKEN}`,
      "Bearer ",
    ]) {
      const answer = await endpoint(TOKEN)(get(authorization ? { authorization } : {}));
      expect(answer.status, String(authorization)).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await answer.text()).not.toContain("rotor_");
    }
  });

  it("answers the exposition text, uncached, to the configured token", async () => {
    const answer = await endpoint(TOKEN)(get({ authorization: `Bearer ${TOKEN}` }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.text()).toMatch(/^# TYPE rotor_token_requests_total counter$/m);
    expect((await endpoint(TOKEN)(get({ authorization: `bearer ${TOKEN}` }))).status).toBe(200);
  });

  it("answers GET and HEAD only, once the token is right", async () => {
    const post = await endpoint(TOKEN)(get({ authorization: `Bearer ${TOKEN}` }, "POST"));
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    const head = await endpoint(TOKEN)(get({ authorization: `Bearer ${TOKEN}` }, "HEAD"));
    expect([head.status, await head.text()]).toEqual([200, ""]);
  });
});
