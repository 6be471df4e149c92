/**
 * Before e2e/production-mode.spec.ts starts its production server: a fresh database on the Postgres
 * server (DATABASE_URL, named rotor_e2e*), migrated and seeded, a designated user's API token for
 * Northwind, and on Northwind's sandbox client a JWKS URL stored before any check could see it
 * (E2E_STORED_JWKS_URI: a URL given while the deployment was not yet in production, or whose name
 * changed its answer since), and a webhook endpoint on the same name. Prints what the spec needs as
 * one JSON line.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { setClientJwksUri } from "@/lib/data/client-jwks";
import { listOrganisationClients } from "@/lib/data/clients";
import { migrateDatabase } from "@/lib/data/data-migrations";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { insertEndpoint } from "@/lib/data/webhooks";
import { env } from "@/lib/env";
import { generateSigningSecret, sealSigningSecret } from "@/lib/webhooks/signing";

const e = env();
const stored = process.env.E2E_STORED_JWKS_URI;
if (!e.DATABASE_URL || !stored) throw new Error("e2e/prepare-production.ts needs DATABASE_URL and E2E_STORED_JWKS_URI");
const name = new URL(e.DATABASE_URL).pathname.slice(1);
if (!/^rotor_e2e[a-z0-9_]*$/.test(name)) throw new Error(`Refusing to recreate a database not named rotor_e2e*: ${name}`);
const adminUrl = new URL(e.DATABASE_URL);
adminUrl.pathname = "/postgres";
const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.unsafe(`create database ${name}`);
await admin.end();
const handle = await openDatabase({ url: e.DATABASE_URL });
const now = new Date();
await migrateDatabase(handle, loadKeyRing(e));
await seedDemoData(handle.db, { now, keyRing: loadKeyRing(e) });
const northwind = await findOrganisationBySlug(handle.db, "northwind");
const spoc = await findUserByEmail(handle.db, "api-team@northwind.example");
if (!northwind || !spoc) throw new Error("the demo seed has no Northwind or no designated user");
const { value: token } = await createApiToken(
  handle.db,
  { userId: spoc.id, label: "e2e" },
  { organisation: "northwind", name: "production e2e", scope: "rotate", expiresInDays: 7 },
  now,
);
const [production, sandbox] = await listOrganisationClients(handle.db, northwind.id);
if (!production || !sandbox) throw new Error("the demo seed has not two Northwind clients");
await setClientJwksUri(handle.db, sandbox.id, stored);
// A webhook endpoint on the same loopback name, stored as if registered before the deployment was
// in production (or before its name changed its answer): every delivery must refuse it too.
const hook = await insertEndpoint(
  handle.db,
  {
    id: randomUUID(),
    organisationId: northwind.id,
    url: stored.replace("/jwks.json", "/hooks"),
    description: null,
    eventTypes: ["secret.issued"],
    createdByUserId: null,
    createdAt: now,
  },
  sealSigningSecret(generateSigningSecret(), loadKeyRing(e)),
);
await handle.close();
console.info(JSON.stringify({ token, production: production.clientId, sandbox: sandbox.clientId, webhook: hook.id }));
