import { generateKeyPairSync, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, clientPublicKeys, clientSecrets, oauthClients, organisations } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import type { CredentialContext } from "@/lib/context";
import { isWellFormedClientSecret } from "@/lib/crypto/client-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { getApiDetails } from "@/lib/data/api-details";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { DomainError } from "@/lib/errors";
import { captureLogs } from "@/lib/log/testing";
import { addDays, toCalendarDate } from "@/lib/rotation/calendar";
import { expiryDateOf, liveSecrets } from "@/lib/rotation/secret-state";
import { registerPublicKey } from "./register-public-key";
import { revealSecret } from "./reveal-secret";
import { revokePublicKey } from "./revoke-public-key";
import { revokeSecret } from "./revoke-secret";
import { rotateSecret } from "./rotate-secret";
import { rotateSecretInput, rotationPolicyInput } from "./schemas";
import { updateRotationPolicy } from "./update-rotation-policy";

const keyRing = parseKeyRing(`test:${randomBytes(32).toString("base64")}`);
const now = new Date();
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing });
});
afterAll(async () => handle?.close());

async function org(slug: string): Promise<OrganisationDto> {
  const o = await findOrganisationBySlug(handle.db, slug);
  if (!o) throw new Error(slug);
  return o;
}

async function ctx(slug: string, role: CredentialContext["role"] = "spoc", at = now): Promise<CredentialContext> {
  return {
    db: handle.db,
    organisation: await org(slug),
    role,
    isOperator: false,
    actor: { type: "user", userId: null, label: `${role}@test` },
    clock: () => at,
    keyRing,
  };
}

/** A fresh client with one secret, so tests do not step on each other. */
async function newClient(slug: string, name: string): Promise<string> {
  const o = await org(slug);
  const clientId = `test${randomBytes(8).toString("hex")}`;
  await handle.db.insert(oauthClients).values({ organisationId: o.id, clientId, name });
  await rotateSecret({ ...(await ctx(slug)), actor: { type: "cli", userId: null, label: "CLI" } }, { clientId, compromised: false });
  return clientId;
}

async function liveCount(clientId: string, at = now): Promise<number> {
  const rows = await handle.db
    .select({ createdAt: clientSecrets.createdAt, expiresAt: clientSecrets.expiresAt, revokedAt: clientSecrets.revokedAt })
    .from(clientSecrets)
    .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
    .where(eq(oauthClients.clientId, clientId));
  return liveSecrets(rows, at).length;
}

async function secretsOf(clientId: string) {
  return handle.db
    .select({ id: clientSecrets.id, expiresAt: clientSecrets.expiresAt })
    .from(clientSecrets)
    .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
    .where(eq(oauthClients.clientId, clientId))
    .orderBy(clientSecrets.createdAt);
}

async function clientUuid(clientId: string): Promise<string> {
  const [row] = await handle.db.select({ id: oauthClients.id }).from(oauthClients).where(eq(oauthClients.clientId, clientId));
  return row!.id;
}

async function rotationEvent(secretId: string) {
  const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, secretId));
  if (!event) throw new Error(`no audit event for ${secretId}`);
  return event;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DomainError,
  );

describe("rotating a secret", () => {
  it("issues a well-formed new secret beside the old one, and keeps the old one for the 30-day overlap only", async () => {
    const clientId = await newClient("northwind", "Rotation");
    const result = await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    expect(isWellFormedClientSecret(result.secret.value)).toBe(true);
    expect(await liveCount(clientId)).toBe(2);
    const cut = result.previousSecretAcceptedUntil;
    expect(cut && expiryDateOf(cut, "Europe/London")).toBe(addDays(toCalendarDate(now, "Europe/London"), 30));
  });

  it("refuses a third live secret with a message that says what to do, and changes nothing", async () => {
    const clientId = await newClient("northwind", "Third");
    await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    const before = await handle.db.select({ n: sql<number>`count(*)::int` }).from(clientSecrets);
    const error = await refusal(rotateSecret(await ctx("northwind"), { clientId, compromised: false }));
    expect(error?.code).toBe("conflict");
    expect(error?.message).toMatch(/already has two live secrets.*revoke the old one and rotate again/);
    const after = await handle.db.select({ n: sql<number>`count(*)::int` }).from(clientSecrets);
    expect(after).toEqual(before);
  });

  it("after a compromise, revokes every live secret at once and leaves exactly the new one", async () => {
    const clientId = await newClient("northwind", "Compromise");
    await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    const result = await rotateSecret(await ctx("northwind"), { clientId, compromised: true });
    expect(result.revokedSecretIds).toHaveLength(2);
    expect(await liveCount(clientId)).toBe(1);
  });

  it("leaves the old secret's expiry unchanged when asked, and records the choice", async () => {
    const clientId = await newClient("northwind", "Unchanged");
    const before = await secretsOf(clientId);
    const result = await rotateSecret(await ctx("northwind"), { clientId, compromised: false, oldSecret: "unchanged" });
    expect(result.previousSecretAcceptedUntil).toBeNull();
    const old = (await secretsOf(clientId)).find((s) => s.id === before[0]!.id)!;
    expect(old.expiresAt).toEqual(before[0]!.expiresAt);
    expect((await rotationEvent(result.secret.id)).metadata).toMatchObject({ oldSecret: "unchanged", previousSecretLastDay: null });
  });

  it("ends the old secret at the end of a chosen day, and the activity says to which day", async () => {
    const clientId = await newClient("northwind", "Until a day");
    const lastDay = addDays(toCalendarDate(now, "Europe/London"), 60);
    const result = await rotateSecret(await ctx("northwind"), {
      clientId,
      compromised: false,
      oldSecret: "until",
      oldSecretLastDay: lastDay,
    });
    expect(result.previousSecretAcceptedUntil && expiryDateOf(result.previousSecretAcceptedUntil, "Europe/London")).toBe(lastDay);
    expect((await rotationEvent(result.secret.id)).metadata).toMatchObject({ oldSecret: "until", previousSecretLastDay: lastDay });
  });

  it("refuses a chosen day after the old secret's own last day, saying which is the latest, and changes nothing", async () => {
    const clientId = await newClient("northwind", "Too late");
    const [old] = await secretsOf(clientId);
    const oldLastDay = expiryDateOf(old!.expiresAt, "Europe/London");
    const error = await refusal(
      rotateSecret(await ctx("northwind"), { clientId, compromised: false, oldSecret: "until", oldSecretLastDay: addDays(oldLastDay, 1) }),
    );
    expect(error?.code).toBe("invalid");
    expect(error?.field).toBe("oldSecretLastDay");
    const [y, m, d] = oldLastDay.split("-");
    expect(error?.message).toBe(
      `A rotation can only shorten the old secret: its last day is ${d}/${m}/${y}. Choose that day or an earlier one, or keep it unchanged.`,
    );
    expect(await liveCount(clientId)).toBe(1);
  });

  it("revokes every live secret when the old secret's fate is 'revoke', as after a compromise", async () => {
    const clientId = await newClient("northwind", "Revoke choice");
    const result = await rotateSecret(await ctx("northwind"), { clientId, compromised: false, oldSecret: "revoke" });
    expect(result.revokedSecretIds).toHaveLength(1);
    expect(await liveCount(clientId)).toBe(1);
    expect((await rotationEvent(result.secret.id)).action).toBe("secret.rotated_after_compromise");
  });

  it("is refused to an admin who is not the designated user, and to another organisation's SPOC", async () => {
    const clientId = await newClient("northwind", "Admin refused");
    expect((await refusal(rotateSecret(await ctx("northwind", "admin"), { clientId, compromised: false })))?.code).toBe("forbidden");
    expect((await refusal(rotateSecret(await ctx("northwind", "member"), { clientId, compromised: false })))?.code).toBe("forbidden");
    expect((await refusal(rotateSecret(await ctx("finvu"), { clientId, compromised: false })))?.code).toBe("not_found");
    expect(await liveCount(clientId)).toBe(1);
  });
});

describe("labels and history", () => {
  it("keeps a label on a new secret and a key, and lists what was revoked, by whom and why", async () => {
    const clientId = await newClient("northwind", "Labelled");
    const [old] = await secretsOf(clientId);
    const result = await rotateSecret(await ctx("northwind"), { clientId, compromised: false, label: "blue cluster" });
    await revokeSecret(await ctx("northwind"), { clientId, secretId: old!.id, reason: "moved to blue" });
    const details = await getApiDetails(handle.db, await org("northwind"), now, "https://rotor.example", "spoc");
    const client = details.clients.find((c) => c.clientId === clientId)!;
    expect(client.current).toMatchObject({ id: result.secret.id, label: "blue cluster" });
    expect(client.history).toEqual([
      {
        id: old!.id,
        kind: "secret",
        name: expect.stringMatching(/^•+\S{4}$/),
        label: null,
        endedAt: now,
        how: "revoked",
        by: null,
        reason: "moved to blue",
      },
    ]);
  });

  it("refuses a label longer than 60 characters, saying so", () => {
    const parsed = rotateSecretInput.safeParse({ clientId: "abcdefgh12", label: "x".repeat(61) });
    expect(parsed.error?.issues[0]?.message).toBe("Keep the label to 60 characters.");
  });
});

describe("revoking a secret", () => {
  it("ends the old secret once the new one is in place", async () => {
    const clientId = await newClient("northwind", "Revoke");
    const [old] = await handle.db
      .select({ id: clientSecrets.id })
      .from(clientSecrets)
      .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
      .where(eq(oauthClients.clientId, clientId));
    await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    await revokeSecret(await ctx("northwind"), { clientId, secretId: old!.id });
    expect(await liveCount(clientId)).toBe(1);
  });

  it("asks for the client ID when the secret was used in the last day and the new one never, and then revokes it", async () => {
    const clientId = await newClient("northwind", "Still in use");
    const [old] = await secretsOf(clientId);
    await handle.db
      .update(clientSecrets)
      .set({ lastUsedAt: new Date(now.getTime() - 3 * 60_000) })
      .where(eq(clientSecrets.id, old!.id));
    await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    const error = await refusal(revokeSecret(await ctx("northwind"), { clientId, secretId: old!.id }));
    expect(error?.code).toBe("invalid");
    expect(error?.field).toBe("confirmClientId");
    expect(error?.message).toBe(
      `This secret was used in the last 24 hours and the new secret has never been used, so your systems probably still use this one. Type the client ID ${clientId} to revoke it anyway.`,
    );
    expect(await liveCount(clientId)).toBe(2);
    const wrong = await refusal(revokeSecret(await ctx("northwind"), { clientId, secretId: old!.id, confirmClientId: "not-it" }));
    expect(wrong?.field).toBe("confirmClientId");
    await revokeSecret(await ctx("northwind"), { clientId, secretId: old!.id, confirmClientId: clientId });
    expect(await liveCount(clientId)).toBe(1);
  });

  it("needs no confirmation once the new secret has been used", async () => {
    const clientId = await newClient("northwind", "Moved over");
    const [old] = await secretsOf(clientId);
    await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    const usedJustNow = new Date(now.getTime() - 60_000);
    await handle.db
      .update(clientSecrets)
      .set({ lastUsedAt: usedJustNow })
      .where(eq(clientSecrets.clientId, await clientUuid(clientId)));
    await revokeSecret(await ctx("northwind"), { clientId, secretId: old!.id });
    expect(await liveCount(clientId)).toBe(1);
  });

  it("never revokes the last live secret", async () => {
    const clientId = await newClient("northwind", "Last");
    const [only] = await handle.db
      .select({ id: clientSecrets.id })
      .from(clientSecrets)
      .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
      .where(eq(oauthClients.clientId, clientId));
    const error = await refusal(revokeSecret(await ctx("northwind"), { clientId, secretId: only!.id }));
    expect(error?.message).toMatch(/last live secret/);
    expect(await liveCount(clientId)).toBe(1);
  });
});

describe("under concurrency (two SPOCs clicking at once)", () => {
  it("ten simultaneous rotations leave exactly two live secrets: one succeeds, nine are refused", async () => {
    const clientId = await newClient("northwind", "Concurrent rotations");
    const c = await ctx("northwind");
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => rotateSecret(c, { clientId, compromised: false })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
    }
    expect(await liveCount(clientId)).toBe(2);
  });

  it("revoking both live secrets at once leaves one, never zero", async () => {
    const clientId = await newClient("northwind", "Concurrent revokes");
    await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    const ids = await handle.db
      .select({ id: clientSecrets.id })
      .from(clientSecrets)
      .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
      .where(eq(oauthClients.clientId, clientId));
    const c = await ctx("northwind");
    const results = await Promise.allSettled(ids.map(({ id }) => revokeSecret(c, { clientId, secretId: id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await liveCount(clientId)).toBe(1);
  });

  it("rotations and compromise-rotations racing never leave more than two or fewer than one", async () => {
    const clientId = await newClient("northwind", "Mixed race");
    const c = await ctx("northwind");
    await Promise.allSettled(Array.from({ length: 8 }, (_, i) => rotateSecret(c, { clientId, compromised: i % 3 === 0 })));
    const live = await liveCount(clientId);
    expect(live).toBeGreaterThanOrEqual(1);
    expect(live).toBeLessThanOrEqual(2);
  });
});

describe("revealing a secret", () => {
  it("returns the value where the policy allows it, and audits the reveal without the value", async () => {
    const clientId = await newClient("northwind", "Reveal");
    const { secret } = await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    const { value } = await revealSecret(await ctx("northwind", "admin"), { clientId, secretId: secret.id });
    expect(value).toBe(secret.value);
    const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "secret.revealed")).limit(1);
    expect(event?.targetId).toBe(secret.id);
  });

  it("is refused under the show-once policy, and to a member", async () => {
    const finvu = await org("finvu");
    const [gateway] = await handle.db.select().from(oauthClients).where(eq(oauthClients.organisationId, finvu.id));
    const [s] = await handle.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, gateway!.id));
    const error = await refusal(revealSecret(await ctx("finvu"), { clientId: gateway!.clientId, secretId: s!.id }));
    expect(error?.message).toMatch(/show-once/);
    const member = await refusal(revealSecret(await ctx("northwind", "member"), { clientId: gateway!.clientId, secretId: s!.id }));
    expect(member?.code).toBe("forbidden");
  });
});

describe("public keys", () => {
  const pem = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

  it("registers up to two active keys, refuses a third, and accepts one again after a revocation", async () => {
    const clientId = await newClient("finvu", "Keys");
    const first = await registerPublicKey(await ctx("finvu"), { clientId, key: pem() });
    expect(first.kid).toBe(first.thumbprint);
    await registerPublicKey(await ctx("finvu"), { clientId, key: pem(), kid: "second-key", expiresOn: "2099-01-01" });
    const third = await refusal(registerPublicKey(await ctx("finvu"), { clientId, key: pem() }));
    expect(third?.message).toMatch(/already has 2 active keys/);
    await revokePublicKey(await ctx("finvu"), { clientId, keyId: first.id });
    await expect(registerPublicKey(await ctx("finvu"), { clientId, key: pem() })).resolves.toBeDefined();
  });

  it("refuses the same key twice and a reused kid", async () => {
    const clientId = await newClient("finvu", "Duplicate keys");
    const key = pem();
    await registerPublicKey(await ctx("finvu"), { clientId, key, kid: "k1" });
    expect((await refusal(registerPublicKey(await ctx("finvu"), { clientId, key })))?.message).toMatch(/already registered/);
    expect((await refusal(registerPublicKey(await ctx("finvu"), { clientId, key: pem(), kid: "k1" })))?.message).toMatch(/already used/);
  });
});

describe("EC P-256 public keys (ES256) beside RSA", () => {
  const p256 = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;

  it("registers a P-256 key under its RFC 7638 thumbprint, stores its type, and audits the type in the same transaction", async () => {
    const clientId = await newClient("finvu", "EC key");
    const publicKey = p256();
    const registered = await registerPublicKey(await ctx("finvu"), {
      clientId,
      key: publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    const { x, y } = publicKey.export({ format: "jwk" });
    const thumbprint = await calculateJwkThumbprint({ kty: "EC", crv: "P-256", x: x as string, y: y as string }, "sha256");
    expect(registered).toEqual({
      id: expect.any(String),
      kid: thumbprint,
      thumbprint,
      type: "EC",
      alg: "ES256",
      bits: 256,
      expiresAt: null,
    });

    const [row] = await handle.db.select().from(clientPublicKeys).where(eq(clientPublicKeys.id, registered.id));
    expect({ keyType: row?.keyType, alg: row?.alg, bits: row?.bits, jwk: row?.jwk }).toEqual({
      keyType: "EC",
      alg: "ES256",
      bits: 256,
      jwk: { kty: "EC", crv: "P-256", x, y, kid: thumbprint, alg: "ES256", use: "sig" },
    });
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, registered.id));
    expect(events).toEqual([
      {
        id: expect.any(Number),
        organisationId: (await org("finvu")).id,
        actorType: "user",
        actorUserId: null,
        actorLabel: "spoc@test",
        action: "key.registered",
        targetType: "client_public_key",
        targetId: registered.id,
        metadata: { client: clientId, kid: thumbprint, thumbprint, type: "EC", alg: "ES256", bits: 256, expiresAt: null },
        ip: null,
        userAgent: null,
        occurredAt: expect.any(Date),
      },
    ]);
  });

  it("audits an RSA key's type too", async () => {
    const clientId = await newClient("finvu", "RSA key type");
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const registered = await registerPublicKey(await ctx("finvu"), { clientId, key, kid: "rsa-1" });
    const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, registered.id));
    expect(event?.metadata).toEqual({
      client: clientId,
      kid: "rsa-1",
      thumbprint: registered.thumbprint,
      type: "RSA",
      alg: "RS256",
      bits: 2048,
      expiresAt: null,
    });
  });

  it("refuses another curve with the whole message, and writes nothing", async () => {
    const clientId = await newClient("finvu", "P-384 key");
    const key = generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(await refusal(registerPublicKey(await ctx("finvu"), { clientId, key }))).toEqual(
      new DomainError(
        "invalid",
        "This is an EC key on the P-384 curve. Only RSA keys of 2048 to 4096 bits and EC keys on the P-256 curve are accepted.",
        "key",
      ),
    );
    expect(
      await handle.db
        .select()
        .from(clientPublicKeys)
        .where(eq(clientPublicKeys.clientId, await clientUuid(clientId))),
    ).toEqual([]);
  });

  it("an RSA and an EC key run side by side as the client's two active keys", async () => {
    const clientId = await newClient("finvu", "Mixed keys");
    const rsaPem = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    await registerPublicKey(await ctx("finvu"), { clientId, key: rsaPem, kid: "rsa" });
    const ec = await registerPublicKey(await ctx("finvu"), { clientId, key: JSON.stringify(p256().export({ format: "jwk" })), kid: "ec" });
    expect(ec.type).toBe("EC");
    const third = await refusal(registerPublicKey(await ctx("finvu"), { clientId, key: JSON.stringify(p256().export({ format: "jwk" })) }));
    expect(third?.message).toMatch(/already has 2 active keys/);
  });

  it("is held by the database too: a key's type, size, algorithm and curve must agree, whatever writes it", async () => {
    const client = await clientUuid(await newClient("finvu", "Key constraint"));
    const { x, y } = p256().export({ format: "jwk" });
    const ecJwk = { kty: "EC", crv: "P-256", x, y };
    const insert = (values: Partial<typeof clientPublicKeys.$inferInsert>) =>
      handle.db
        .insert(clientPublicKeys)
        .values({
          clientId: client,
          kid: `k${randomBytes(4).toString("hex")}`,
          thumbprint: "t",
          jwk: ecJwk,
          keyType: "EC",
          alg: "ES256",
          bits: 256,
          ...values,
        })
        .then(
          () => "inserted",
          (e: { cause?: { code?: string; constraint_name?: string }; code?: string }) =>
            e.cause?.constraint_name ?? e.cause?.code ?? e.code,
        );
    expect(await insert({})).toBe("inserted");
    expect(await insert({ alg: "RS256" })).toBe("client_public_key_family");
    expect(await insert({ bits: 2048 })).toBe("client_public_key_family");
    expect(await insert({ jwk: { ...ecJwk, crv: "P-384" } })).toBe("client_public_key_family");
    expect(await insert({ keyType: "RSA", bits: 2048, alg: "RS256" })).toBe("client_public_key_family");
    // Both checks refuse an unknown type; which one Postgres names first is its own choice.
    expect(["client_public_key_type", "client_public_key_family"]).toContain(await insert({ keyType: "OKP" as "EC" }));
  });
});

describe("the rotation policy", () => {
  it("validates its input with messages that say how to fix it", () => {
    const bad = rotationPolicyInput.safeParse({
      validityDays: 30,
      overlapDays: 30,
      reminderOffsets: [45],
      autoIssue: false,
      secretRevealPolicy: "reveal",
    });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toContain("The overlap must be shorter than the validity period.");
    expect(messages).toContain("A reminder 45 days before expiry is longer than the validity period.");
  });

  it("stays within the platform's maximum validity", async () => {
    const input = rotationPolicyInput.parse({
      validityDays: 400,
      overlapDays: 30,
      reminderOffsets: [30],
      autoIssue: true,
      secretRevealPolicy: "reveal",
    });
    const error = await refusal(updateRotationPolicy(await ctx("northwind", "admin"), input));
    expect(error?.message).toMatch(/at most 365 days/);
  });

  it("applies to new secrets, is admin-only, and switching to show-once destroys every stored ciphertext", async () => {
    const input = rotationPolicyInput.parse({
      validityDays: 90,
      overlapDays: 14,
      reminderOffsets: [14, 7, 1, 0],
      autoIssue: false,
      secretRevealPolicy: "show_once",
    });
    expect((await refusal(updateRotationPolicy(await ctx("northwind", "spoc"), input)))?.code).toBe("forbidden");
    await updateRotationPolicy(await ctx("northwind", "admin"), input);
    const o = await org("northwind");
    expect([o.validityDays, o.overlapDays, o.secretRevealPolicy]).toEqual([90, 14, "show_once"]);
    const remaining = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(clientSecrets)
      .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
      .where(sql`${oauthClients.organisationId} = ${o.id} and ${clientSecrets.ciphertext} is not null`);
    expect(remaining[0]?.n).toBe(0);
    const clientId = await newClient("northwind", "After policy");
    const { secret } = await rotateSecret(await ctx("northwind"), { clientId, compromised: false });
    expect(expiryDateOf(secret.expiresAt, "Europe/London")).toBe(addDays(toCalendarDate(now, "Europe/London"), 90));
    await handle.db
      .update(organisations)
      .set({ validityDays: 180, overlapDays: 30, secretRevealPolicy: "reveal" })
      .where(eq(organisations.id, o.id));
  });
});

describe("secrecy", () => {
  it("never puts a secret value in a log line, an audit record or an error message", async () => {
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(" "));
      }),
    );
    // The operational log too (lib/log/logger.ts), at every level.
    const logs = captureLogs();
    try {
      const clientId = await newClient("northwind", "Secrecy");
      const c = await ctx("northwind");
      const values: string[] = [];
      const first = await rotateSecret(c, { clientId, compromised: false });
      values.push(first.secret.value);
      values.push((await revealSecret(c, { clientId, secretId: first.secret.id })).value);
      const errors = [
        await refusal(rotateSecret(c, { clientId, compromised: false })),
        await refusal(revokeSecret(c, { clientId, secretId: first.secret.id })),
      ];
      const third = await rotateSecret(c, { clientId, compromised: true });
      values.push(third.secret.value);
      const audit = JSON.stringify(await handle.db.select().from(auditEvents));
      for (const v of values) {
        expect(audit).not.toContain(v);
        expect(logged.join("\n")).not.toContain(v);
        expect(logs.text()).not.toContain(v);
        for (const e of errors) expect(String(e?.message)).not.toContain(v);
      }
    } finally {
      for (const s of spies) s.mockRestore();
      logs.restore();
    }
  });
});
