import type { MembershipRole } from "@/db/schema";

/**
 * What each role may do in its own organisation (domain.md "Who uses it"). Pure: the caller
 * resolves the membership for *this* organisation first; no membership means nothing at all.
 */
export const PERMISSIONS = [
  "organisation.view",
  "offices.view",
  "users.view",
  "api.view",
  "credentials.rotate",
  "secrets.reveal",
  "organisation.manage",
  "policy.manage",
  "audit.view",
  /** Register and manage the organisation's webhook endpoints (docs/webhooks.md). */
  "webhooks.manage",
  /** Expiry reminders and notices about the organisation's credentials are e-mailed to these roles. */
  "reminders.receive",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const grants: Record<MembershipRole, readonly Permission[]> = {
  // Organisation admins manage offices and users and see the API tab (seed 000).
  admin: [
    "organisation.view",
    "offices.view",
    "users.view",
    "api.view",
    "secrets.reveal",
    "organisation.manage",
    "policy.manage",
    "audit.view",
    "webhooks.manage",
    "reminders.receive",
  ],
  // The designated user rotates secrets and registers keys (seed 001).
  spoc: [
    "organisation.view",
    "offices.view",
    "users.view",
    "api.view",
    "credentials.rotate",
    "secrets.reveal",
    "audit.view",
    "webhooks.manage",
    "reminders.receive",
  ],
  // Members see nothing of the credentials.
  member: ["organisation.view", "offices.view"],
};

export function can(role: MembershipRole, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export const ROLE_LABELS: Record<MembershipRole, string> = {
  admin: "Organisation admin",
  spoc: "Designated user (SPOC)",
  member: "Member",
};
