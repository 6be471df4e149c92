import { generateToken, isWellFormedToken } from "./tokens";

export { digestSecret, digestsMatch, maskSecret, secretTail } from "./tokens";

export const CLIENT_SECRET_PREFIX = "rtr_cs_";

export function generateClientSecret(): string {
  return generateToken(CLIENT_SECRET_PREFIX);
}

export function isWellFormedClientSecret(value: string): boolean {
  return isWellFormedToken(value, CLIENT_SECRET_PREFIX);
}
