import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Development-only secrets kept in the embedded data folder, so `npm run demo` needs no set-up.
 * Production never reaches this: lib/env.ts refuses to start without the real values.
 */
export function readOrCreateDevSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, `dev-${name}`);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readFileSync(file, "utf8").trim();
}
