ALTER TABLE "email_outbox" ALTER COLUMN "html" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "email_outbox" ALTER COLUMN "text" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "client_public_key" ADD COLUMN "expiry_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "client_secret" ADD COLUMN "replaces_secret_id" uuid;--> statement-breakpoint
ALTER TABLE "client_secret" ADD COLUMN "expiry_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "template" text NOT NULL;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "data" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "client_secret" ADD CONSTRAINT "client_secret_replaces_secret_id_client_secret_id_fk" FOREIGN KEY ("replaces_secret_id") REFERENCES "public"."client_secret"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "client_secret_one_live_successor" ON "client_secret" USING btree ("replaces_secret_id") WHERE "client_secret"."revoked_at" is null;