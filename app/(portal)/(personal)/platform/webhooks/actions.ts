"use server";

import { redirect } from "next/navigation";
import type { ActionState } from "@/lib/action-state";
import { operatorAction, sensitiveOperatorAction } from "@/lib/actions/caller-actions";
import {
  createEndpointSpec,
  deleteEndpointSpec,
  replayDeliverySpec,
  rotateSigningSecretSpec,
  sendTestEventSpec,
  setEndpointEnabledSpec,
  updateEndpointSpec,
} from "@/lib/actions/webhook-forms";
import { platformWebhookContextFor as contextOf } from "@/lib/auth/webhook-context-for";
import { endpointPath, endpointsPath } from "@/lib/webhooks/paths";

/*
 * Platform > Webhooks: the operator's platform-wide endpoints, told of every organisation's
 * events. The same forms as an organisation's (lib/actions/webhook-forms.ts), for the operator
 * only (operatorAction); the use cases check again. As there, adding, re-addressing, rotating and
 * deleting need a recent sign-in.
 */

const list = endpointsPath(null);
const everything = { path: list, type: "layout" as const };

export async function createPlatformEndpointAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOperatorAction(list, { ...createEndpointSpec(form, contextOf), revalidate: everything });
}

export async function updatePlatformEndpointAction(endpointId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOperatorAction(endpointPath(null, endpointId), {
    ...updateEndpointSpec(endpointId, form, contextOf),
    revalidate: everything,
  });
}

export async function rotatePlatformSigningSecretAction(endpointId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return sensitiveOperatorAction(endpointPath(null, endpointId), {
    ...rotateSigningSecretSpec(endpointId, form, contextOf),
    revalidate: everything,
  });
}

export async function deletePlatformEndpointAction(endpointId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  const state = await sensitiveOperatorAction(endpointPath(null, endpointId), {
    ...deleteEndpointSpec(endpointId, contextOf),
    revalidate: everything,
  });
  if (state.status === "success") redirect(list);
  return state;
}

export async function setPlatformEndpointEnabledAction(
  endpointId: string,
  enabled: boolean,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  return operatorAction({ ...setEndpointEnabledSpec(endpointId, enabled, contextOf), revalidate: everything });
}

export async function sendPlatformTestEventAction(endpointId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return operatorAction({ ...sendTestEventSpec(endpointId, contextOf), revalidate: everything });
}

export async function replayPlatformDeliveryAction(
  endpointId: string,
  deliveryId: string,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  return operatorAction({ ...replayDeliverySpec(endpointId, deliveryId, contextOf), revalidate: everything });
}
