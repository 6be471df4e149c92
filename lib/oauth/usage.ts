import type { Database } from "@/db/client";
import {
  recordAssertionAudience,
  recordAudienceUse,
  recordClientAddress,
  recordJwksKeyUse,
  recordKeyUse,
  recordSecretUse,
} from "@/lib/data/usage";
import { errorSummary } from "@/lib/error-summary";
import { log } from "@/lib/log/logger";
import { JWKS_KEY_ID_PREFIX } from "./client-jwks-source";

/**
 * Last use of each secret and key, and the audiences each client asks for, coalesced in memory and
 * written in one batch every few seconds: thousands of token requests a minute become a handful of
 * writes. Writes only move last_used_at forward, so several instances flushing is harmless.
 */
export class UsageRecorder {
  private secrets = new Map<string, Date>();
  private keys = new Map<string, Date>();
  private jwksKeys = new Map<string, { clientUuid: string; kid: string; at: Date }>();
  private audiences = new Map<string, { clientUuid: string; audience: string; count: number; last: Date }>();
  private addresses = new Map<string, { clientId: string; address: string; at: Date }>();
  private assertionAudiences = new Map<string, { clientUuid: string; audience: string; count: number; last: Date }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database) {}

  secretUsed(secretId: string, at: Date) {
    this.secrets.set(secretId, at);
  }

  keyUsed(keyId: string, at: Date, clientUuid?: string) {
    // A key from a JWKS URL has no row of its own: its use is kept by client and kid (lib/oauth/client-jwks-source.ts).
    if (keyId.startsWith(JWKS_KEY_ID_PREFIX)) {
      if (clientUuid) {
        const kid = keyId.slice(JWKS_KEY_ID_PREFIX.length);
        this.jwksKeys.set(`${clientUuid} ${kid}`, { clientUuid, kid, at });
      }
      return;
    }
    this.keys.set(keyId, at);
  }

  /** A client authenticated from this address (lib/rate-limit/client-auth-guard.ts). */
  addressUsed(clientId: string, address: string, at: Date) {
    this.addresses.set(`${clientId} ${address}`, { clientId, address, at });
  }

  audienceRequested(clientUuid: string, audience: string, at: Date) {
    const key = `${clientUuid} ${audience}`;
    const entry = this.audiences.get(key);
    if (entry) {
      entry.count += 1;
      entry.last = at;
    } else {
      this.audiences.set(key, { clientUuid, audience, count: 1, last: at });
    }
  }

  /** The aud of an assertion whose signature verified, accepted or not (docs/domain.md, the legacy switch). */
  assertionAudienceSeen(clientUuid: string, audience: string, at: Date) {
    const key = `${clientUuid} ${audience}`;
    const entry = this.assertionAudiences.get(key);
    if (entry) {
      entry.count += 1;
      entry.last = at;
    } else {
      this.assertionAudiences.set(key, { clientUuid, audience: audience.slice(0, 300), count: 1, last: at });
    }
  }

  async flush(): Promise<void> {
    const secrets = this.secrets;
    const keys = this.keys;
    const audiences = this.audiences;
    const addresses = this.addresses;
    const assertionAudiences = this.assertionAudiences;
    const jwksKeys = this.jwksKeys;
    this.jwksKeys = new Map();
    this.assertionAudiences = new Map();
    this.addresses = new Map();
    this.secrets = new Map();
    this.keys = new Map();
    this.audiences = new Map();
    for (const [id, at] of secrets) await recordSecretUse(this.db, id, at);
    for (const [id, at] of keys) await recordKeyUse(this.db, id, at);
    for (const use of audiences.values()) await recordAudienceUse(this.db, use);
    for (const use of addresses.values()) await recordClientAddress(this.db, use);
    for (const use of assertionAudiences.values()) await recordAssertionAudience(this.db, use);
    for (const use of jwksKeys.values()) await recordJwksKeyUse(this.db, use);
  }

  start(intervalMs = 5_000) {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) => log().error({ err: errorSummary(error) }, "usage flush failed"));
    }, intervalMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
