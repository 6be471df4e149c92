CREATE TABLE "client_jwks" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"uri" text NOT NULL,
	"keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fetched_at" timestamp with time zone,
	"fresh_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"failing_since" timestamp with time zone,
	"failure_notice_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "oauth_client" ADD COLUMN "jwks_uri" text;--> statement-breakpoint
ALTER TABLE "client_jwks" ADD CONSTRAINT "client_jwks_client_id_oauth_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_client"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_client" ADD CONSTRAINT "oauth_client_jwks_uri" CHECK ("oauth_client"."jwks_uri" is null or ("oauth_client"."jwks_uri" ~ '^https?://' and length("oauth_client"."jwks_uri") <= 2000));