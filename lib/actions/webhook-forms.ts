import { z } from "zod";
import { submitted } from "@/lib/action-state";
import { createEndpoint } from "@/lib/webhooks/create-endpoint";
import { deleteEndpoint } from "@/lib/webhooks/delete-endpoint";
import { DEFAULT_SECRET_OVERLAP_HOURS } from "@/lib/webhooks/policy";
import { replayDelivery } from "@/lib/webhooks/replay-delivery";
import { rotateEndpointSecret } from "@/lib/webhooks/rotate-endpoint-secret";
import {
  endpointFields,
  endpointIdField,
  replayDeliveryInput,
  rotateEndpointSecretInput,
  updateEndpointInput,
} from "@/lib/webhooks/schemas";
import { sendTestEvent } from "@/lib/webhooks/send-test-event";
import { setEndpointEnabled } from "@/lib/webhooks/set-endpoint-enabled";
import { updateEndpoint } from "@/lib/webhooks/update-endpoint";
import type { WebhookContext } from "@/lib/webhooks/webhook-context";
import type { FormActionSpec } from "./form-action";
import { validate } from "./form-action";

/*
 * The webhook forms' parsing and use cases, shared by an organisation's Manage > Webhooks and the
 * operator's Platform > Webhooks: each server action still authorizes its own caller
 * (organisationAction with "webhooks.manage", or operatorAction) and turns that caller into a
 * WebhookContext (lib/auth/webhook-context-for.ts); the use case checks again.
 */

type Spec<Input, Who> = Omit<FormActionSpec<Input, Who>, "authorize">;
type ContextOf<Who> = (who: Who) => Promise<WebhookContext>;

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

/** The ticked events: one "eventTypes" entry per checkbox. */
const eventTypesOf = (form: FormData) => form.getAll("eventTypes").filter((v): v is string => typeof v === "string");

/** What was typed, handed back with a refusal: the events as one space-separated string. */
function endpointValues(form: FormData): Record<string, string> {
  return { ...submitted(form, ["url", "description"]), eventTypes: eventTypesOf(form).join(" ") };
}

const endpointRaw = (form: FormData) => ({
  url: text(form, "url") ?? "",
  description: text(form, "description"),
  eventTypes: eventTypesOf(form),
});

export function createEndpointSpec<Who>(form: FormData, contextOf: ContextOf<Who>): Spec<z.output<typeof endpointFields>, Who> {
  const values = endpointValues(form);
  return {
    values,
    parse: () => validate(endpointFields, endpointRaw(form), values),
    run: async (who, input) => {
      const { endpoint, signingSecret } = await createEndpoint(await contextOf(who), input);
      return {
        message: `Endpoint added: ${endpoint.url}. Copy its signing secret now: it will not be shown again. Your receiver needs it to check each request's signature.`,
        value: signingSecret,
      };
    },
  };
}

export function updateEndpointSpec<Who>(
  endpointId: string,
  form: FormData,
  contextOf: ContextOf<Who>,
): Spec<z.output<typeof updateEndpointInput>, Who> {
  const values = endpointValues(form);
  return {
    values,
    parse: () => validate(updateEndpointInput, { ...endpointRaw(form), endpointId }, values),
    run: async (who, input) => {
      await updateEndpoint(await contextOf(who), input);
      return "Endpoint saved. Events recorded from now on go to this address, for the events chosen.";
    },
  };
}

const endpointIdInput = z.object({ endpointId: endpointIdField });

export function deleteEndpointSpec<Who>(endpointId: string, contextOf: ContextOf<Who>): Spec<{ endpointId: string }, Who> {
  return {
    parse: () => validate(endpointIdInput, { endpointId }),
    run: async (who, input) => {
      const { url } = await deleteEndpoint(await contextOf(who), input);
      return `Endpoint ${url} deleted. Nothing more is sent to it.`;
    },
    announce: true,
  };
}

export function setEndpointEnabledSpec<Who>(
  endpointId: string,
  enabled: boolean,
  contextOf: ContextOf<Who>,
): Spec<{ endpointId: string }, Who> {
  return {
    parse: () => validate(endpointIdInput, { endpointId }),
    run: async (who, input) => {
      await setEndpointEnabled(await contextOf(who), { ...input, enabled });
      return enabled
        ? "Endpoint turned on. Events waiting for it are sent now; send a test event to check the receiver."
        : "Endpoint turned off. Events recorded while it is off are not sent to it.";
    },
    announce: true,
  };
}

export function rotateSigningSecretSpec<Who>(
  endpointId: string,
  form: FormData,
  contextOf: ContextOf<Who>,
): Spec<z.output<typeof rotateEndpointSecretInput>, Who> {
  const values = submitted(form, ["overlapHours"]);
  return {
    values,
    parse: () =>
      validate(
        rotateEndpointSecretInput,
        { endpointId, overlapHours: text(form, "overlapHours")?.trim() || String(DEFAULT_SECRET_OVERLAP_HOURS) },
        values,
      ),
    run: async (who, input) => {
      const { signingSecret } = await rotateEndpointSecret(await contextOf(who), input);
      const overlap =
        input.overlapHours === 0
          ? "The old secret stopped signing at once: deliveries are signed with the new secret only."
          : `Until the old secret stops, in ${input.overlapHours} ${input.overlapHours === 1 ? "hour" : "hours"}, every delivery is signed with both, so your receiver can switch without refusing an event.`;
      return { message: `New signing secret issued. Copy it now: it will not be shown again. ${overlap}`, value: signingSecret };
    },
  };
}

export function sendTestEventSpec<Who>(endpointId: string, contextOf: ContextOf<Who>): Spec<{ endpointId: string }, Who> {
  return {
    parse: () => validate(endpointIdInput, { endpointId }),
    run: async (who, input) => {
      const delivery = await sendTestEvent(await contextOf(who), input);
      const latency = delivery.lastLatencyMs === null ? "" : ` in ${delivery.lastLatencyMs} ms`;
      if (delivery.status === "sent") {
        return `Test event delivered: the endpoint answered ${delivery.lastStatusCode ?? "with a 2xx status"}${latency}.`;
      }
      // The receiver's own words may end without a full stop.
      const said = delivery.lastError?.trim() ?? `The endpoint answered ${delivery.lastStatusCode ?? "nothing"}.`;
      // The test was sent, so the page is refreshed (the delivery is listed); the form shows the receiver's failure as its error.
      return {
        message: `The test event failed${delivery.lastLatencyMs === null ? "" : ` after ${delivery.lastLatencyMs} ms`}: ${/[.!?]$/.test(said) ? said : `${said}.`} Check that the receiver is running at this address and answers a signed POST with a 2xx status, then try again.`,
        values: { outcome: "failed" },
      };
    },
  };
}

export function replayDeliverySpec<Who>(
  endpointId: string,
  deliveryId: string,
  contextOf: ContextOf<Who>,
): Spec<{ endpointId: string; deliveryId: string }, Who> {
  return {
    parse: () => validate(replayDeliveryInput, { endpointId, deliveryId }),
    run: async (who, input) => {
      const outcome = await replayDelivery(await contextOf(who), input);
      switch (outcome) {
        case "sent":
          return "Sent again: the endpoint answered with a 2xx status.";
        case "retrying":
          return "Sent again, but the endpoint did not accept it: Rotor will retry it with backoff (see Last error).";
        case "dead":
          return "Sent again, but the endpoint did not accept it, and it will not be retried (see Last error).";
        default:
          return "It is queued to be sent again; it is already being sent, or will be shortly.";
      }
    },
  };
}
