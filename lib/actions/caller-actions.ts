import { type Caller, type OrganisationAccess, requireCaller, requireOperator, requireOrganisationAccess } from "@/lib/auth/caller";
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

/** An action of the platform as a whole, for the platform operator only. */
export function operatorAction<Input>(spec: Spec<Input, Caller>) {
  return formAction({ ...spec, authorize: () => requireOperator() });
}

/** An action on one's own things (API tokens); the use case checks the organisation it names. */
export function signedInAction<Input>(spec: Spec<Input, Caller>) {
  return formAction({ ...spec, authorize: () => requireCaller() });
}
