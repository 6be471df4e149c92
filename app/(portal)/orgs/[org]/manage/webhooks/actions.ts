"use server";

import { redirect } from "next/navigation";
import type { ActionState } from "@/lib/action-state";
import { organisationAction, sensitiveOrganisationAction } from "@/lib/actions/caller-actions";
import {
  createEndpointSpec,
  deleteEndpointSpec,
  replayDeliverySpec,
  rotateSigningSecretSpec,
  sendTestEventSpec,
  setEndpointEnabledSpec,
  updateEndpointSpec,
} from "@/lib/actions/webhook-forms";
import { organisationWebhookContextFor as contextOf } from "@/lib/auth/webhook-context-for";
import { endpointPath, endpointsPath } from "@/lib/webhooks/paths";

/*
 * Manage > Webhooks. Every action parses its input with lib/webhooks/schemas.ts, authorizes the
 * caller for this organisation itself ("webhooks.manage": its admins and designated user), then
 * calls one use case, which checks again (lib/actions/webhook-forms.ts). Adding an endpoint,
 * changing its address, rotating its signing secret and deleting it also need a recent sign-in:
 * a new address or secret is where the organisation's credential events go, and who can read them.
 */

const PERMISSION = "webhooks.manage";
const everything = (org: string) => ({ path: endpointsPath(org), type: "layout" as const });

export async function createEndpointAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOrganisationAction(org, PERMISSION, endpointsPath(org), {
    ...createEndpointSpec(form, contextOf),
    revalidate: everything(org),
  });
}

export async function updateEndpointAction(org: string, endpointId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOrganisationAction(org, PERMISSION, endpointPath(org, endpointId), {
    ...updateEndpointSpec(endpointId, form, contextOf),
    revalidate: everything(org),
  });
}

export async function rotateSigningSecretAction(org: string, endpointId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOrganisationAction(org, PERMISSION, endpointPath(org, endpointId), {
    ...rotateSigningSecretSpec(endpointId, form, contextOf),
    revalidate: everything(org),
  });
}

export async function deleteEndpointAction(org: string, endpointId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  const state = await sensitiveOrganisationAction(org, PERMISSION, endpointPath(org, endpointId), {
    ...deleteEndpointSpec(endpointId, contextOf),
    revalidate: everything(org),
  });
  // Its page is gone: back to the list, where the notice says what happened.
  if (state.status === "success") redirect(endpointsPath(org));
  return state;
}

export async function setEndpointEnabledAction(
  org: string,
  endpointId: string,
  enabled: boolean,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  return organisationAction(org, PERMISSION, {
    ...setEndpointEnabledSpec(endpointId, enabled, contextOf),
    revalidate: everything(org),
  });
}

export async function sendTestEventAction(org: string, endpointId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return organisationAction(org, PERMISSION, { ...sendTestEventSpec(endpointId, contextOf), revalidate: everything(org) });
}

export async function replayDeliveryAction(
  org: string,
  endpointId: string,
  deliveryId: string,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  return organisationAction(org, PERMISSION, {
    ...replayDeliverySpec(endpointId, deliveryId, contextOf),
    revalidate: everything(org),
  });
}
