CREATE TYPE "public"."api_token_scope" AS ENUM('read', 'rotate');--> statement-breakpoint
-- Tokens made before scopes existed could do everything: they keep "rotate". New ones choose.
ALTER TABLE "personal_api_token" ADD COLUMN "scope" "api_token_scope" DEFAULT 'rotate' NOT NULL;--> statement-breakpoint
ALTER TABLE "personal_api_token" ALTER COLUMN "scope" DROP DEFAULT;
