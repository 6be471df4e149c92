/**
 * Before the e2e server starts on the real Postgres server: a fresh database, migrated and seeded
 * (dated from today). Its URL is DATABASE_URL with the database name swapped.
 */
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { migrateDatabase } from "@/lib/data/data-migrations";
import { env } from "@/lib/env";

const e = env();
if (!e.DATABASE_URL) throw new Error("e2e/prepare-database.ts needs DATABASE_URL");
const target = new URL(e.DATABASE_URL);
const name = target.pathname.slice(1);
if (!/^rotor_e2e[a-z0-9_]*$/.test(name)) throw new Error(`Refusing to recreate a database not named rotor_e2e*: ${name}`);
const adminUrl = new URL(e.DATABASE_URL);
adminUrl.pathname = "/postgres";
const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {}, prepare: false });
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.unsafe(`create database ${name}`);
await admin.end();
const handle = await openDatabase({ url: e.DATABASE_URL, poolMode: e.DATABASE_POOL_MODE });
await migrateDatabase(handle, loadKeyRing(e));
await seedDemoData(handle.db, { now: new Date(), keyRing: loadKeyRing(e) });
await handle.close();
console.info(`e2e database ${name} ready`);
