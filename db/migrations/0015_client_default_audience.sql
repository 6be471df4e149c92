ALTER TABLE "oauth_client" ADD COLUMN "default_audience" text;--> statement-breakpoint
-- Until now the first allowed audience was the default, silently: it becomes the explicit default.
UPDATE "oauth_client" SET "default_audience" = "allowed_audiences"[1] WHERE cardinality("allowed_audiences") > 0;--> statement-breakpoint
ALTER TABLE "oauth_client" ADD CONSTRAINT "oauth_client_default_audience" CHECK (("oauth_client"."default_audience" is null and cardinality("oauth_client"."allowed_audiences") = 0) or "oauth_client"."default_audience" = any("oauth_client"."allowed_audiences"));
