import { defineConfig } from "drizzle-kit";

// Migrations are generated from db/schema.ts and committed; they are applied by
// `npm run db:migrate` (DATABASE_URL) or on start (embedded PGlite).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  strict: true,
});
