import { count } from "drizzle-orm";
import type { KeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { initPlatformSettings } from "@/lib/data/platform";
import { recordSignIn } from "@/lib/data/sessions";
import type { UserDto } from "@/lib/data/users";
import { addDays, type CalendarDate, startOfDay, toCalendarDate } from "@/lib/rotation/calendar";
import type { Database, Executor } from "./client";
import * as t from "./schema";
import { aClient, aMember, anOffice, anOperator, anOrganisation, aPublicKey, aSecret } from "./testing/builders";

/**
 * Demo data, dated from `now` so the demo always shows each interesting state: a secret well
 * within validity, one inside its 30-day overlap with its new secret beside it, and a client with
 * a registered public key. Two organisations in different zones (seed 000's UK insurer, seed
 * 001's Indian account aggregator). Composed from the builders (db/testing/builders.ts); the e2e
 * tests rely on these names, addresses and dates.
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

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

export async function seedDemoData(db: Database, { now, keyRing }: SeedOptions): Promise<void> {
  await db.transaction(async (tx) => {
    await initPlatformSettings(
      tx,
      {
        serviceName: "Claims Exchange",
        apiEndpoint: null,
        maxValidityDays: 365,
        allowedAudiences: ["https://api.claims-exchange.example/", "https://sandbox.claims-exchange.example/"],
        adminsMayDesignateSpoc: false,
        spocsMaySetJwksUri: true,
        spocsMaySetLegacyAudience: false,
      },
      now,
    );
    const operator = await anOperator(tx, { email: "operator@rotor.example", name: "Olivia Operator", now });
    await seedNorthwind(tx, { now, keyRing }, operator);
    await seedFinvu(tx, { now, keyRing }, operator);
    await seedContoso(tx, { now }, operator);
  });
}

/** Northwind Insurance: Europe/London, auto-issue on, reveal allowed (seed 000). */
async function seedNorthwind(tx: Executor, { now, keyRing }: SeedOptions, operator: UserDto): Promise<void> {
  const london = "Europe/London";
  const northwind = await anOrganisation(tx, {
    slug: "northwind",
    name: "Northwind Insurance",
    timeZone: london,
    locale: "en-GB",
    autoIssue: true,
    createdAt: now,
  });
  const hq = await anOffice(tx, northwind, {
    name: "London head office",
    addressLine1: "1 Leadenhall Street",
    town: "London",
    postcode: "EC3V 1AB",
    phone: "020 7946 0000",
    now,
  });
  await anOffice(tx, northwind, {
    name: "Manchester claims centre",
    addressLine1: "22 Piccadilly",
    town: "Manchester",
    postcode: "M1 2AP",
    now,
  });
  await anOffice(tx, northwind, {
    name: "Bristol office",
    addressLine1: "5 Temple Way",
    town: "Bristol",
    postcode: "BS1 6DG",
    closedAt: ago(now, 40 * DAY),
    now,
  });
  const member = (overrides: Parameters<typeof aMember>[2]) => aMember(tx, northwind, { now, ...overrides });
  const { user: alice } = await member({ email: "alice.admin@northwind.example", name: "Alice Adeyemi", role: "admin", office: hq });
  const { user: sam } = await member({
    email: "api-team@northwind.example",
    name: "Northwind API team (SPOC)",
    role: "spoc",
    office: hq,
    invitedBy: operator,
  });
  await member({ email: "mo.member@northwind.example", name: "Mo Mahmood", invitedBy: alice });
  // Mo has not signed in yet: the Active users tab shows him as invited.
  await recordSignIn(tx, alice.id, ago(now, DAY / 12));
  await recordSignIn(tx, sam.id, ago(now, 3 * DAY));
  const { user: dave } = await member({
    email: "dave.former@northwind.example",
    name: "Dave Doyle",
    deactivated: { at: ago(now, 12 * DAY), by: alice },
  });
  await member({
    email: "erin.former-admin@northwind.example",
    name: "Erin Evans",
    role: "admin",
    deactivated: { at: ago(now, 75 * DAY), by: alice },
  });

  const production = await aClient(tx, northwind, {
    name: "Claims submission (production)",
    allowedScopes: ["claims:read", "claims:write"],
    allowedAudiences: ["https://api.claims-exchange.example/"],
    defaultAudience: "https://api.claims-exchange.example/",
    createdAt: now,
  });
  const sandbox = await aClient(tx, northwind, {
    name: "Claims submission (sandbox)",
    allowedScopes: ["claims:read"],
    allowedAudiences: ["https://sandbox.claims-exchange.example/"],
    defaultAudience: "https://sandbox.claims-exchange.example/",
    createdAt: now,
  });

  // Inside the overlap: the current secret expires in 20 days; its successor was auto-issued
  // at expiry - 30 days (seed 000's rule) and both are accepted.
  const today = toCalendarDate(now, london);
  const oldSecret = await aSecret(tx, northwind, production, keyRing, {
    createdAt: at(addDays(today, -160), london, 9, 30),
    lastUsedAt: ago(now, 4 * 60_000),
  });
  const lastDay = toCalendarDate(new Date(oldSecret.expiresAt.getTime() - 1), london);
  const nextCreatedDay = addDays(lastDay, -30);
  const nextSecret = await aSecret(tx, northwind, production, keyRing, {
    createdAt: at(nextCreatedDay, london, 2, 0),
    issuedBy: "auto",
    replacesSecretId: oldSecret.id,
  });
  await thirtyDayReminderSent(tx, northwind, production, { ...oldSecret, lastDay }, nextSecret, at(nextCreatedDay, london, 2, 0));
  // Well within validity.
  await aSecret(tx, northwind, sandbox, keyRing, {
    createdAt: at(addDays(today, -25), london, 14, 5),
    createdBy: sam,
    issuedBy: "user",
    lastUsedAt: ago(now, 3 * DAY),
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
      occurredAt: ago(now, 12 * DAY),
    },
  ]);
}

/**
 * The old secret's 30-day reminder went out when the overlap began (the demo's mailbox shows it);
 * the scheduler's first run sends the 20-day one.
 */
async function thirtyDayReminderSent(
  tx: Executor,
  organisation: OrganisationDto,
  client: { name: string; clientId: string },
  secret: { id: string; maskedTail: string; lastDay: CalendarDate },
  successor: { createdAt: Date },
  createdAt: Date,
): Promise<void> {
  const [delivery] = await tx
    .insert(t.reminderDeliveries)
    .values({ secretId: secret.id, thresholdDays: 30, dueOn: addDays(secret.lastDay, -30), createdAt })
    .returning();
  const sentAt = new Date(createdAt.getTime() + 60_000);
  await tx.insert(t.emailOutbox).values({
    organisationId: organisation.id,
    reminderDeliveryId: delivery?.id,
    kind: "expiry_reminder",
    toAddresses: ["alice.admin@northwind.example", "api-team@northwind.example"],
    subject: `Your client secret for ${client.name} expires in 30 days`,
    template: "expiry-reminder",
    data: {
      organisation: organisation.name,
      slug: organisation.slug,
      client: client.name,
      clientId: client.clientId,
      credential: "secret",
      identifier: `••••${secret.maskedTail}`,
      expiryDate: secret.lastDay,
      timeZone: organisation.timeZone,
      locale: organisation.locale,
      autoIssue: organisation.autoIssue,
      lastUsedAt: new Date(sentAt.getTime() - 3_600_000).toISOString(),
      successor: { createdAt: successor.createdAt.toISOString(), lastUsedAt: null },
    },
    status: "sent",
    attempts: 1,
    provider: "dev-mailbox",
    createdAt: sentAt,
    nextAttemptAt: sentAt,
    sentAt,
  });
}

/** Finvu Data Services: Asia/Kolkata, show-once, manual rotation (seed 001). */
async function seedFinvu(tx: Executor, { now, keyRing }: SeedOptions, operator: UserDto): Promise<void> {
  const kolkata = "Asia/Kolkata";
  const finvu = await anOrganisation(tx, {
    slug: "finvu",
    name: "Finvu Data Services",
    timeZone: kolkata,
    locale: "en-IN",
    autoIssue: false,
    secretRevealPolicy: "show_once",
    createdAt: now,
  });
  const mumbai = await anOffice(tx, finvu, {
    name: "Mumbai head office",
    addressLine1: "Bandra Kurla Complex, G Block",
    town: "Mumbai",
    postcode: "400051",
    country: "IN",
    now,
  });
  await anOffice(tx, finvu, {
    name: "Bengaluru engineering",
    addressLine1: "80 Feet Road, Koramangala",
    town: "Bengaluru",
    postcode: "560034",
    country: "IN",
    now,
  });
  const member = (overrides: Parameters<typeof aMember>[2]) => aMember(tx, finvu, { now, ...overrides });
  const { user: priya } = await member({
    email: "priya.admin@finvu.example",
    name: "Priya Raman",
    role: "admin",
    office: mumbai,
    invitedBy: operator,
  });
  const { user: rotation } = await member({
    email: "secret-rotation@finvu.example",
    name: "Finvu secret rotation (SPOC)",
    role: "spoc",
    office: mumbai,
    invitedBy: operator,
  });
  await member({ email: "arjun.member@finvu.example", name: "Arjun Mehta", invitedBy: priya });
  await recordSignIn(tx, priya.id, ago(now, DAY));
  await recordSignIn(tx, rotation.id, ago(now, 6 * DAY));
  await member({ email: "kiran.former@finvu.example", name: "Kiran Shah", deactivated: { at: ago(now, 30 * DAY), by: priya } });

  const today = toCalendarDate(now, kolkata);
  const gateway = await aClient(tx, finvu, {
    name: "Account aggregator gateway",
    allowedScopes: ["fi:fetch", "consent:read"],
    allowedAudiences: ["https://api.claims-exchange.example/"],
    defaultAudience: "https://api.claims-exchange.example/",
    createdAt: now,
  });
  await aSecret(tx, finvu, gateway, keyRing, {
    createdAt: at(addDays(today, -60), kolkata, 11, 0),
    createdBy: rotation,
    issuedBy: "user",
    lastUsedAt: ago(now, 2 * 3_600_000),
  });
  // Seed 002: an RSA 2048 public key for private_key_jwt; the private half is not kept.
  const registeredAt = at(addDays(today, -45), kolkata, 16, 20);
  const key = await aPublicKey(tx, gateway, { createdAt: registeredAt, createdBy: rotation, lastUsedAt: ago(now, 20 * 60_000) });
  await tx.insert(t.auditEvents).values({
    organisationId: finvu.id,
    actorType: "user",
    actorUserId: rotation.id,
    actorLabel: rotation.email ?? "",
    action: "key.registered",
    targetType: "client_public_key",
    targetId: key.thumbprint,
    occurredAt: registeredAt,
  });
}

/**
 * Contoso Health: just onboarded, and its designated user (SPOC) not yet designated, so Home and
 * the API tab say nobody can rotate (docs/domain.md, "Who uses it"). Its admin, Ravi, is also a
 * member of Northwind: the person in two organisations, with the header's switcher.
 */
async function seedContoso(tx: Executor, { now }: { now: Date }, operator: UserDto): Promise<void> {
  const contoso = await anOrganisation(tx, {
    slug: "contoso",
    name: "Contoso Health",
    timeZone: "Europe/London",
    locale: "en-GB",
    createdAt: now,
  });
  const leeds = await anOffice(tx, contoso, {
    name: "Leeds office",
    addressLine1: "3 Wellington Place",
    town: "Leeds",
    postcode: "LS1 4AP",
    now,
  });
  const { user: ravi } = await aMember(tx, contoso, {
    email: "ravi.patel@contoso.example",
    name: "Ravi Patel",
    role: "admin",
    office: leeds,
    invitedBy: operator,
    now,
  });
  const northwind = await findOrganisationBySlug(tx, "northwind");
  if (!northwind) throw new Error("Northwind is seeded first");
  await aMember(tx, northwind, { email: "ravi.patel@contoso.example", name: "Ravi Patel", now });
  await recordSignIn(tx, ravi.id, ago(now, 2 * DAY));
}

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(t.organisations);
  return (row?.n ?? 0) === 0;
}
