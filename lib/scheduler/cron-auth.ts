import { createHash, timingSafeEqual } from "node:crypto";

export type CronAuthorization = "ok" | "disabled" | "denied";

/**
 * Vercel's cron convention: `Authorization: Bearer $CRON_SECRET`. Fails closed: with no secret
 * configured nothing runs. Compared in constant time (digests of equal length).
 */
export function authorizeCron(authorization: string | null, secret: string | undefined): CronAuthorization {
  if (!secret) return "disabled";
  const presented = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(secret).digest();
  return presented !== "" && timingSafeEqual(a, b) ? "ok" : "denied";
}
