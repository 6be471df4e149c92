import { randomBytes } from "node:crypto";
import type { Database, DatabaseHandle } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { type KeyRing, parseKeyRing } from "@/lib/crypto/encryption";

/*
 * Test helpers for the management API's integration tests, which mock getDb and loadKeyRing to
 * read `state`: one seeded database and key ring a file, and the refusals (handler.ts) that more
 * than one file expects in full, written once.
 */

export interface ApiTestState {
  db: Database | null;
  handle: DatabaseHandle | null;
  keyRing: KeyRing | null;
}

/** A database of the file's own with the demo seed, and a key ring of its own, put in `state`. */
export async function seededApiDatabase(state: ApiTestState): Promise<DatabaseHandle> {
  const handle = await createTestDatabase();
  state.db = handle.db;
  state.handle = handle;
  state.keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
  await seedDemoData(handle.db, { now: new Date(), keyRing: state.keyRing });
  return handle;
}

const problem = (status: number, title: string, detail: string) => ({ type: "about:blank", title, status, detail });

/** No token, or one that is not (or no longer) valid. */
export const INVALID_TOKEN = {
  status: 401,
  challenge: 'Bearer realm="rotor-management", error="invalid_token"',
  body: problem(
    401,
    "Unauthorized",
    "Send a valid personal API token as Authorization: Bearer rtr_pat_... Tokens are created by the designated user in Account Management, and by platform operators in the Platform area.",
  ),
};

/** A designated user's token at an operator's endpoint. */
export const PLATFORM_TOKEN_REQUIRED = {
  status: 403,
  challenge: 'Bearer realm="rotor-management", error="insufficient_scope", scope="platform"',
  body: problem(
    403,
    "Forbidden",
    "Only a platform operator's token (scope platform) may use the operator's endpoints (an organisation's clients, the audit log across organisations). Platform operators create one in the Platform area of the portal or with rotor operator token.",
  ),
};
