import {
  type Caller,
  type OrganisationAccess,
  requireCaller,
  requireOperator,
  requireOrganisationAccess,
  requireRecentSignIn,
} from "@/lib/auth/caller";
import type { Permission } from "@/lib/auth/permissions";
import { type FormActionSpec, formAction } from "./form-action";

/*
 * The three ways a form's caller is checked. Each action names its own: the organisation from
 * its URL and the permission it needs (another organisation is "not found", a role without the
 * permission "forbidden": lib/auth/caller.ts), the platform operator, or anyone signed in.
 */

type Spec<Input, Who> = Omit<FormActionSpec<Input, Who>, "authorize">;

/** An action inside the organisation `slug`, for a member whose role there grants `permission`. */
export function organisationAction<Input>(slug: string, permission: Permission, spec: Spec<Input, OrganisationAccess>) {
  return formAction({ ...spec, authorize: () => requireOrganisationAccess(slug, permission) });
}

/**
 * A dangerous action inside the organisation (revealing a secret, rotating or revoking one,
 * registering or revoking a key): as organisationAction, and the session's sign-in must be recent,
 * else the person confirms who they are and comes back to `returnTo` (lib/auth/step-up.ts). The
 * organisation is checked first, so an outsider still gets "not found", never a sign-in prompt.
 */
export function sensitiveOrganisationAction<Input>(
  slug: string,
  permission: Permission,
  returnTo: string,
  spec: Spec<Input, OrganisationAccess>,
) {
  return formAction({
    ...spec,
    authorize: async () => {
      const access = await requireOrganisationAccess(slug, permission);
      await requireRecentSignIn(returnTo);
      return access;
    },
  });
}

/** An action of the platform as a whole, for the platform operator only. */
export function operatorAction<Input>(spec: Spec<Input, Caller>) {
  return formAction({ ...spec, authorize: () => requireOperator() });
}

/**
 * A dangerous action of the platform (a platform-wide webhook's address or signing secret): as
 * operatorAction, and the sign-in must be recent, else the operator confirms who they are and
 * comes back to `returnTo`. The operator is checked first, so anyone else still gets "not found".
 */
export function sensitiveOperatorAction<Input>(returnTo: string, spec: Spec<Input, Caller>) {
  return formAction({
    ...spec,
    authorize: async () => {
      const caller = await requireOperator();
      await requireRecentSignIn(returnTo);
      return caller;
    },
  });
}

/** An action on one's own things (API tokens); the use case checks the organisation it names. */
export function signedInAction<Input>(spec: Spec<Input, Caller>) {
  return formAction({ ...spec, authorize: () => requireCaller() });
}
