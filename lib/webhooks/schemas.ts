import { z } from "zod";
import { uuidField } from "@/lib/credentials/schemas";
import { storableText } from "@/lib/text-field";
import { WEBHOOK_EVENT_TYPES } from "./event-types";
import { MAX_SECRET_OVERLAP_HOURS } from "./policy";

/** The inputs of the webhook use cases, shared by the portal's forms (and any later API or CLI). */

export const endpointUrlField = storableText({ error: "Give the endpoint's URL." })
  .trim()
  .min(1, { error: "Give the endpoint's URL, such as https://hooks.example.com/rotor." })
  .max(2000, { error: "Keep the URL to 2,000 characters." })
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
    error: "Give a full URL starting with https://, such as https://hooks.example.com/rotor.",
  });

export const endpointDescriptionField = storableText()
  .trim()
  .max(200, { error: "Keep the description to 200 characters." })
  .optional()
  .transform((v) => (v ? v : null));

export const eventTypesField = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "That is not an event Rotor sends." }), { error: "Choose the events to send." })
  .min(1, { error: "Choose at least one event to send." })
  .transform((types) => WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t)));

export const endpointFields = z.object({
  url: endpointUrlField,
  description: endpointDescriptionField,
  eventTypes: eventTypesField,
});
export type EndpointFields = z.output<typeof endpointFields>;

export const endpointIdField = uuidField("endpoint");

export const updateEndpointInput = endpointFields.extend({ endpointId: endpointIdField });
export type UpdateEndpointInput = z.output<typeof updateEndpointInput>;

export const rotateEndpointSecretInput = z.object({
  endpointId: endpointIdField,
  overlapHours: z.coerce
    .number({ error: "Give the overlap in hours." })
    .int({ error: "Give the overlap as a whole number of hours." })
    .min(0, { error: "The overlap cannot be negative: 0 stops the old secret at once." })
    .max(MAX_SECRET_OVERLAP_HOURS, { error: `Keep the overlap to ${MAX_SECRET_OVERLAP_HOURS} hours (a week) or less.` }),
});
export type RotateEndpointSecretInput = z.output<typeof rotateEndpointSecretInput>;

export const replayDeliveryInput = z.object({ endpointId: endpointIdField, deliveryId: uuidField("delivery") });
