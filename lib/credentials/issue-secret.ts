import type { Executor } from "@/db/client";
import type { KeyRing } from "@/lib/crypto/encryption";
import { insertSecret, LiveLimitReached } from "@/lib/data/credentials";
import { DomainError } from "@/lib/errors";
import { countSecretIssued } from "@/lib/metrics/record";
import { TWO_LIVE_SECRETS } from "@/lib/rotation/secret-actions";
import type { RotationPolicy } from "@/lib/rotation/secret-state";
import { mintSecret } from "./mint-secret";

export { TWO_LIVE_SECRETS };

export interface IssuedSecret {
  id: string;
  value: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Mints and stores a new secret for a client the caller has locked. The value is returned once, to
 * the caller that asked for it, and kept nowhere else.
 */
export async function issueSecret(
  tx: Executor,
  input: {
    clientUuid: string;
    policy: RotationPolicy;
    reveal: boolean;
    now: Date;
    keyRing: KeyRing;
    issuedBy: "user" | "api_token" | "cli" | "auto";
    userId: string | null;
    /** The live secret this one succeeds (unique among live successors). */
    replacesSecretId?: string | null;
    label?: string | null;
  },
): Promise<IssuedSecret> {
  const minted = mintSecret({ createdAt: input.now, policy: input.policy, reveal: input.reveal, keyRing: input.keyRing });
  let row: Awaited<ReturnType<typeof insertSecret>>;
  try {
    row = await insertSecret(tx, minted, {
      clientUuid: input.clientUuid,
      issuedBy: input.issuedBy,
      userId: input.userId,
      replacesSecretId: input.replacesSecretId ?? null,
      label: input.label ?? null,
    });
  } catch (error) {
    // The database's own limit: only a path that skipped the client lock can meet it, but its
    // answer must still be the domain's.
    if (error instanceof LiveLimitReached) throw new DomainError("conflict", TWO_LIVE_SECRETS);
    throw error;
  }
  // The scheduler issued this secret's successor at the same moment.
  if (!row) throw new DomainError("conflict", "A new secret was issued for this client a moment ago. Refresh to see it.");
  // Counted at insert: a transaction that then rolls back (rare: a failed audit write) still counts.
  countSecretIssued(input.issuedBy);
  return { ...row, value: minted.value };
}
