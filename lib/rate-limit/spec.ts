/**
 * A rate limit as a deployment writes it: "N/S" (at most N in S seconds), several joined by commas
 * ("1/60,5/3600": one a minute and five an hour), or "off". Pure, so lib/env.ts validates with it.
 */
export interface LimitSpec {
  points: number;
  seconds: number;
}

export function parseLimitSpec(text: string): LimitSpec[] | null | "invalid" {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "off") return null;
  const specs: LimitSpec[] = [];
  for (const part of trimmed.split(",")) {
    const m = /^\s*(\d{1,7})\s*\/\s*(\d{1,7})\s*$/.exec(part);
    if (!m) return "invalid";
    const points = Number(m[1]);
    const seconds = Number(m[2]);
    if (points < 1 || seconds < 1 || seconds > 86_400) return "invalid";
    specs.push({ points, seconds });
  }
  return specs.length > 0 ? specs : "invalid";
}

export const LIMIT_SPEC_HELP = 'write "N/S" (at most N in S seconds, S up to 86400), several joined by commas, or "off"';
