import { count } from "drizzle-orm";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { mintSecret } from "@/lib/credentials/mint-secret";
import { generateClientId } from "@/lib/crypto/client-id";
import type { KeyRing } from "@/lib/crypto/encryption";
import { addDays, type CalendarDate, startOfDay, toCalendarDate } from "@/lib/rotation/calendar";
import type { RotationPolicy } from "@/lib/rotation/secret-state";
import type { Database, Executor } from "./client";
import * as t from "./schema";

/**
 * Demo data, dated from `now` so the demo always shows each interesting state: a secret well
 * within validity, one inside its 30-day overlap with its new secret beside it, and a client with
 * a registered public key. Two organisations in different zones (seed 000's UK insurer, seed
 * 001's Indian account aggregator).
 */

export interface SeedOptions {
  now: Date;
  keyRing: KeyRing;
}

const DAY = 86_400_000;

/** An instant on a calendar day in a zone, at a given local hour. */
function at(date: CalendarDate, timeZone: string, hour: number, minute = 0): Date {
  return new Date(startOfDay(date, timeZone).getTime() + (hour * 60 + minute) * 60_000);
}

async function addSecret(
  tx: Executor,
  keyRing: KeyRing,
  clientId: string,
  policy: RotationPolicy & { reveal: boolean },
  createdAt: Date,
  extra: Omit<Partial<typeof t.clientSecrets.$inferInsert>, "id"> = {},
) {
  const minted = mintSecret({ createdAt, policy, reveal: policy.reveal, keyRing });
  const { value: _value, ...stored } = minted;
  const [row] = await tx
    .insert(t.clientSecrets)
    .values({ ...stored, clientId, issuedBy: "seed", ...extra })
    .returning();
  if (!row) throw new Error("seed: secret not inserted");
  return row;
}

async function addUser(tx: Executor, email: string, name: string) {
  const [row] = await tx.insert(t.users).values({ email, name, emailVerified: new Date() }).returning();
  if (!row) throw new Error("seed: user not inserted");
  return row;
}

export async function seedDemoData(db: Database, { now, keyRing }: SeedOptions): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(t.platformSettings)
      .values({
        id: 1,
        serviceName: "Claims Exchange",
        maxValidityDays: 365,
        allowedAudiences: ["https://api.claims-exchange.example/", "https://sandbox.claims-exchange.example/"],
      })
      .onConflictDoNothing();

    const operator = await addUser(tx, "operator@rotor.example", "Olivia Operator");
    await tx.insert(t.platformOperators).values({ userId: operator.id });

    // --- Northwind Insurance: Europe/London, auto-issue on, reveal allowed (seed 000) ---------
    const london = "Europe/London";
    const [northwind] = await tx
      .insert(t.organisations)
      .values({ slug: "northwind", name: "Northwind Insurance", timeZone: london, locale: "en-GB", autoIssue: true })
      .returning();
    if (!northwind) throw new Error("seed: organisation not inserted");
    const nwPolicy = { timeZone: london, validityDays: 180, overlapDays: 30, reveal: true };
    const [nwHq] = await tx
      .insert(t.offices)
      .values([
        {
          organisationId: northwind.id,
          name: "London head office",
          addressLine1: "1 Leadenhall Street",
          town: "London",
          postcode: "EC3V 1AB",
          phone: "020 7946 0000",
        },
        {
          organisationId: northwind.id,
          name: "Manchester claims centre",
          addressLine1: "22 Piccadilly",
          town: "Manchester",
          postcode: "M1 2AP",
        },
        {
          organisationId: northwind.id,
          name: "Bristol office",
          addressLine1: "5 Temple Way",
          town: "Bristol",
          postcode: "BS1 6DG",
          closedAt: new Date(now.getTime() - 40 * DAY),
        },
      ])
      .returning();
    const alice = await addUser(tx, "alice.admin@northwind.example", "Alice Adeyemi");
    const sam = await addUser(tx, "api-team@northwind.example", "Northwind API team (SPOC)");
    const mo = await addUser(tx, "mo.member@northwind.example", "Mo Mahmood");
    const dave = await addUser(tx, "dave.former@northwind.example", "Dave Doyle");
    const erin = await addUser(tx, "erin.former-admin@northwind.example", "Erin Evans");
    await tx.insert(t.memberships).values([
      { organisationId: northwind.id, userId: alice.id, role: "admin", officeId: nwHq?.id },
      { organisationId: northwind.id, userId: sam.id, role: "spoc", officeId: nwHq?.id, invitedBy: operator.id },
      { organisationId: northwind.id, userId: mo.id, role: "member", invitedBy: alice.id },
      {
        organisationId: northwind.id,
        userId: dave.id,
        role: "member",
        status: "deactivated",
        deactivatedAt: new Date(now.getTime() - 12 * DAY),
        deactivatedBy: alice.id,
      },
      {
        organisationId: northwind.id,
        userId: erin.id,
        role: "admin",
        status: "deactivated",
        deactivatedAt: new Date(now.getTime() - 75 * DAY),
        deactivatedBy: alice.id,
      },
    ]);

    const nwToday = toCalendarDate(now, london);
    const [production, sandbox] = await tx
      .insert(t.oauthClients)
      .values([
        {
          organisationId: northwind.id,
          clientId: generateClientId(),
          name: "Claims submission (production)",
          allowedScopes: ["claims:read", "claims:write"],
          allowedAudiences: ["https://api.claims-exchange.example/"],
        },
        {
          organisationId: northwind.id,
          clientId: generateClientId(),
          name: "Claims submission (sandbox)",
          allowedScopes: ["claims:read"],
          allowedAudiences: ["https://sandbox.claims-exchange.example/"],
        },
      ])
      .returning();
    if (!production || !sandbox) throw new Error("seed: clients not inserted");

    // Inside the overlap: the current secret expires in 20 days; its successor was auto-issued
    // at expiry - 30 days (seed 000's rule) and both are accepted.
    const oldCreated = at(addDays(nwToday, -160), london, 9, 30);
    const oldSecret = await addSecret(tx, keyRing, production.id, nwPolicy, oldCreated, {
      lastUsedAt: new Date(now.getTime() - 4 * 60_000),
    });
    const nextCreatedDay = addDays(toCalendarDate(new Date(oldSecret.expiresAt.getTime() - 1), london), -30);
    const nextSecret = await addSecret(tx, keyRing, production.id, nwPolicy, at(nextCreatedDay, london, 2, 0), {
      issuedBy: "auto",
      replacesSecretId: oldSecret.id,
    });
    // Its 30-day reminder went out when the overlap began (the demo's mailbox shows it); the
    // scheduler's first run sends the 20-day one.
    const [delivery] = await tx
      .insert(t.reminderDeliveries)
      .values({ secretId: oldSecret.id, thresholdDays: 30, dueOn: nextCreatedDay, createdAt: at(nextCreatedDay, london, 2, 0) })
      .returning();
    const sentAt = at(nextCreatedDay, london, 2, 1);
    await tx.insert(t.emailOutbox).values({
      organisationId: northwind.id,
      reminderDeliveryId: delivery?.id,
      kind: "expiry_reminder",
      toAddresses: ["alice.admin@northwind.example", "api-team@northwind.example"],
      subject: "Your client secret for Claims submission (production) expires in 30 days",
      template: "expiry-reminder",
      data: {
        organisation: "Northwind Insurance",
        slug: "northwind",
        client: production.name,
        clientId: production.clientId,
        credential: "secret",
        identifier: `••••${oldSecret.maskedTail}`,
        expiryDate: toCalendarDate(new Date(oldSecret.expiresAt.getTime() - 1), london),
        timeZone: london,
        locale: "en-GB",
        autoIssue: true,
        lastUsedAt: new Date(sentAt.getTime() - 3_600_000).toISOString(),
        successor: { createdAt: nextSecret.createdAt.toISOString(), lastUsedAt: null },
      },
      status: "sent",
      attempts: 1,
      provider: "dev-mailbox",
      createdAt: sentAt,
      nextAttemptAt: sentAt,
      sentAt,
    });
    // Well within validity.
    await addSecret(tx, keyRing, sandbox.id, nwPolicy, at(addDays(nwToday, -25), london, 14, 5), {
      createdByUserId: sam.id,
      issuedBy: "user",
      lastUsedAt: new Date(now.getTime() - 3 * DAY),
    });

    // --- Finvu Data Services: Asia/Kolkata, show-once, manual rotation (seed 001) -------------
    const kolkata = "Asia/Kolkata";
    const [finvu] = await tx
      .insert(t.organisations)
      .values({
        slug: "finvu",
        name: "Finvu Data Services",
        timeZone: kolkata,
        locale: "en-IN",
        autoIssue: false,
        secretRevealPolicy: "show_once",
      })
      .returning();
    if (!finvu) throw new Error("seed: organisation not inserted");
    const fvPolicy = { timeZone: kolkata, validityDays: 180, overlapDays: 30, reveal: false };
    const [mumbai] = await tx
      .insert(t.offices)
      .values([
        {
          organisationId: finvu.id,
          name: "Mumbai head office",
          addressLine1: "Bandra Kurla Complex, G Block",
          town: "Mumbai",
          postcode: "400051",
          country: "IN",
        },
        {
          organisationId: finvu.id,
          name: "Bengaluru engineering",
          addressLine1: "80 Feet Road, Koramangala",
          town: "Bengaluru",
          postcode: "560034",
          country: "IN",
        },
      ])
      .returning();
    const priya = await addUser(tx, "priya.admin@finvu.example", "Priya Raman");
    const rotation = await addUser(tx, "secret-rotation@finvu.example", "Finvu secret rotation (SPOC)");
    const arjun = await addUser(tx, "arjun.member@finvu.example", "Arjun Mehta");
    const kiran = await addUser(tx, "kiran.former@finvu.example", "Kiran Shah");
    await tx.insert(t.memberships).values([
      { organisationId: finvu.id, userId: priya.id, role: "admin", officeId: mumbai?.id, invitedBy: operator.id },
      { organisationId: finvu.id, userId: rotation.id, role: "spoc", officeId: mumbai?.id, invitedBy: operator.id },
      { organisationId: finvu.id, userId: arjun.id, role: "member", invitedBy: priya.id },
      {
        organisationId: finvu.id,
        userId: kiran.id,
        role: "member",
        status: "deactivated",
        deactivatedAt: new Date(now.getTime() - 30 * DAY),
        deactivatedBy: priya.id,
      },
    ]);
    const fvToday = toCalendarDate(now, kolkata);
    const [gateway] = await tx
      .insert(t.oauthClients)
      .values({
        organisationId: finvu.id,
        clientId: generateClientId(),
        name: "Account aggregator gateway",
        allowedScopes: ["fi:fetch", "consent:read"],
        allowedAudiences: ["https://api.claims-exchange.example/"],
      })
      .returning();
    if (!gateway) throw new Error("seed: client not inserted");
    await addSecret(tx, keyRing, gateway.id, fvPolicy, at(addDays(fvToday, -60), kolkata, 11, 0), {
      createdByUserId: rotation.id,
      issuedBy: "user",
      lastUsedAt: new Date(now.getTime() - 2 * 3_600_000),
    });
    // Seed 002: an RSA 2048 public key for private_key_jwt; the private half is not kept.
    const { publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(publicKey);
    const thumbprint = await calculateJwkThumbprint(jwk, "sha256");
    await tx.insert(t.clientPublicKeys).values({
      clientId: gateway.id,
      kid: thumbprint,
      alg: "RS256",
      jwk: { ...jwk, kid: thumbprint, alg: "RS256", use: "sig" },
      thumbprint,
      bits: 2048,
      createdAt: at(addDays(fvToday, -45), kolkata, 16, 20),
      createdByUserId: rotation.id,
      lastUsedAt: new Date(now.getTime() - 20 * 60_000),
    });

    await tx.insert(t.auditEvents).values([
      {
        organisationId: northwind.id,
        actorType: "system",
        actorLabel: "Scheduler",
        action: "secret.auto_issued",
        targetType: "client_secret",
        targetId: nextSecret.id,
        occurredAt: nextSecret.createdAt,
        metadata: { client: production.clientId },
      },
      {
        organisationId: northwind.id,
        actorType: "user",
        actorUserId: alice.id,
        actorLabel: alice.email ?? "",
        action: "user.deactivated",
        targetType: "user",
        targetId: dave.id,
        occurredAt: new Date(now.getTime() - 12 * DAY),
      },
      {
        organisationId: finvu.id,
        actorType: "user",
        actorUserId: rotation.id,
        actorLabel: rotation.email ?? "",
        action: "key.registered",
        targetType: "client_public_key",
        targetId: thumbprint,
        occurredAt: at(addDays(fvToday, -45), kolkata, 16, 20),
      },
    ]);
  });
}

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(t.organisations);
  return (row?.n ?? 0) === 0;
}
