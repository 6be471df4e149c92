ALTER TABLE "client_public_key" ADD COLUMN "label" text;--> statement-breakpoint
ALTER TABLE "client_secret" ADD COLUMN "label" text;--> statement-breakpoint
ALTER TABLE "client_public_key" ADD CONSTRAINT "client_public_key_label_length" CHECK ("client_public_key"."label" is null or length("client_public_key"."label") between 1 and 60);--> statement-breakpoint
ALTER TABLE "client_secret" ADD CONSTRAINT "client_secret_label_length" CHECK ("client_secret"."label" is null or length("client_secret"."label") between 1 and 60);