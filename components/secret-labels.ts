import type { BadgeTone } from "./status-badge";

export const SECRET_STATE_LABELS: Record<string, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "good" },
  expiring: { label: "Expiring: rotate now", tone: "warn" },
  in_overlap: { label: "In overlap: both accepted", tone: "info" },
  expired: { label: "Expired", tone: "bad" },
  revoked: { label: "Revoked", tone: "muted" },
};

export const HEALTH_LABELS: Record<string, { label: string; tone: BadgeTone }> = {
  ok: { label: "Healthy", tone: "good" },
  rotate_soon: { label: "Rotate soon", tone: "warn" },
  new_secret_waiting: { label: "New secret waiting to be adopted", tone: "warn" },
  new_secret_adopted: { label: "New secret in use", tone: "good" },
  no_secret: { label: "No live secret", tone: "bad" },
};
