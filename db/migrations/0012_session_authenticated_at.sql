ALTER TABLE "session" ADD COLUMN "authenticatedAt" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Sessions that existed before this column cannot say when their sign-in was: they count as old,
-- so the first dangerous action asks for a fresh sign-in (docs/security.md).
UPDATE "session" SET "authenticatedAt" = 'epoch';
