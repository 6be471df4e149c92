import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ActionState } from "@/lib/action-state";
import type { EndpointDetail } from "@/lib/webhooks/read-endpoints";
import { type EndpointActions, EndpointView } from "./endpoint-view";
import { endpointStatus } from "./endpoints-view";

/* What an endpoint's page says of its state, rendered as the server sends it (before any script). */

const action = async (s: ActionState) => s;
const actions: EndpointActions = {
  update: action,
  rotate: action,
  turnOn: action,
  turnOff: action,
  sendTest: action,
  remove: action,
  replay: () => action,
};
const at = new Date("2026-11-20T10:00:00Z");
const endpoint: EndpointDetail["endpoint"] = {
  id: "3f0a1c1e-5b7d-4a43-9a55-2f6f3d1c0b11",
  organisationId: null,
  url: "https://hooks.example.com/rotor",
  description: null,
  eventTypes: ["secret.issued"],
  createdAt: at,
  createdByUserId: null,
  disabledAt: null,
  disabledReason: null,
  failingSince: null,
  consecutiveFailures: 0,
};
const render = (e: Partial<EndpointDetail["endpoint"]>) =>
  renderToStaticMarkup(
    createElement(EndpointView, {
      detail: {
        endpoint: { ...endpoint, ...e },
        secrets: [{ maskedTail: "AbC=", createdAt: at, expiresAt: null }],
        deliveries: [
          {
            id: "8d1e1a36-0c55-4d8e-9f0e-6c1f7c5c7a01",
            eventId: "b4f5a0c2-1d3e-4f6a-8b9c-0d1e2f3a4b5c",
            eventType: "secret.issued",
            occurredAt: at,
            status: "dead",
            attempts: 12,
            nextAttemptAt: at,
            lastStatusCode: 500,
            lastLatencyMs: 41,
            lastError: "The endpoint answered 500, not a 2xx status.",
            lastAttemptAt: at,
            deliveredAt: null,
          },
        ],
      },
      actions,
      locale: "en-GB",
      timeZone: "Europe/London",
    }),
  );

describe("an endpoint's page", () => {
  it("explains an endpoint Rotor turned off for failing, and how to bring it back", () => {
    const html = render({
      disabledAt: new Date("2026-11-21T10:00:00Z"),
      disabledReason: "failing",
      failingSince: new Date("2026-11-20T09:00:00Z"),
      consecutiveFailures: 10,
    });
    expect(html).toContain('role="alert"');
    expect(html).toContain("Rotor turned this endpoint off on 21/11/2026, 10:00 because it kept failing.");
    expect(html).toContain("It failed 10 attempts in a row since 20/11/2026, 09:00");
    expect(html).toContain("Fix the receiver, then turn the endpoint on");
    // Off: a button to turn it on, and neither a test event nor a replay until then.
    expect(html).toContain("Turn on");
    expect(html).toContain("The endpoint is off: turn it on to send a test event.");
    expect(html).not.toContain(">Replay<");
    expect(html).not.toContain(">Send test event<");
  });

  it("says nothing of failing for an endpoint a person turned off", () => {
    const html = render({ disabledAt: at, disabledReason: "person" });
    expect(html).not.toContain('role="alert"');
    expect(html).toContain(">Off<");
  });

  it("lists the deliveries with their outcome, and a Replay button each while it is on", () => {
    const html = render({});
    expect(html).toContain("Given up");
    expect(html).toContain("The endpoint answered 500, not a 2xx status.");
    expect(html).toContain(">Replay<");
    expect(html).toContain("whsec_…AbC=");
    expect(html).toContain("Until rotated (current)");
  });
});

describe("an endpoint's status", () => {
  it("is on, failing while on, off, or turned off for failing, always in words", () => {
    const of = (e: Partial<EndpointDetail["endpoint"]>) => endpointStatus({ ...endpoint, ...e }).label;
    expect(of({})).toBe("On");
    expect(of({ consecutiveFailures: 3 })).toBe("On, failing");
    expect(of({ disabledAt: at, disabledReason: "person" })).toBe("Off");
    expect(of({ disabledAt: at, disabledReason: "failing" })).toBe("Turned off: kept failing");
  });
});
