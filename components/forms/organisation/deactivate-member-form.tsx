"use client";

import { buttons } from "../buttons";
import { ConfirmedForm } from "../confirmed-form";
import type { FormAction } from "../use-form-action";
import type { RoleOption } from "./invite-user-form";
import { SuccessorSelect } from "./successor-select";

/**
 * De-activates one person from their row, behind a confirmation that says what will happen. For the
 * designated user, where the caller may designate, it also asks who takes the role over.
 */
export function DeactivateMemberForm({
  action,
  person,
  successors,
}: {
  action: FormAction;
  person: string;
  /** Offered only on the designated user's row, and only to someone who may designate. */
  successors?: RoleOption[];
}) {
  return (
    <ConfirmedForm
      action={action}
      trigger="De-activate"
      triggerClass={buttons.dangerOutlineRow}
      submitLabel="Yes, de-activate"
      submitClass={buttons.dangerRow}
    >
      {(state) => (
        <>
          <p className="text-sm text-red-900">
            De-activate {person}? They are signed out at once, their API tokens stop working, and they move to De-activated users.
          </p>
          {successors ? <SuccessorSelect people={successors} person={person} error={state.fieldErrors?.successorMembershipId} /> : null}
        </>
      )}
    </ConfirmedForm>
  );
}
