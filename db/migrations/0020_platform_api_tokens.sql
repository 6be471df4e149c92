ALTER TYPE "public"."api_token_scope" ADD VALUE 'platform';--> statement-breakpoint
ALTER TABLE "personal_api_token" ALTER COLUMN "organisation_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "personal_api_token" ADD CONSTRAINT "personal_api_token_platform_scope" CHECK (("personal_api_token"."scope"::text = 'platform') = ("personal_api_token"."organisation_id" is null));