import { generateToken, isWellFormedToken } from "./tokens";

/** Seed 001's "user token" for the management API: a distinct prefix so scanners tell them apart. */
export const PERSONAL_TOKEN_PREFIX = "rtr_pat_";

export function generatePersonalToken(): string {
  return generateToken(PERSONAL_TOKEN_PREFIX);
}

export function isWellFormedPersonalToken(value: string): boolean {
  return isWellFormedToken(value, PERSONAL_TOKEN_PREFIX);
}
