DROP INDEX "client_secret_client_idx";--> statement-breakpoint
CREATE INDEX "client_public_key_unrecorded_expiry_idx" ON "client_public_key" USING btree ("expires_at") WHERE "client_public_key"."expires_at" is not null and "client_public_key"."expiry_recorded_at" is null and "client_public_key"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "client_secret_client_expires_idx" ON "client_secret" USING btree ("client_id","expires_at");--> statement-breakpoint
CREATE INDEX "client_secret_replaces_idx" ON "client_secret" USING btree ("replaces_secret_id");--> statement-breakpoint
CREATE INDEX "client_secret_unrecorded_expiry_idx" ON "client_secret" USING btree ("expires_at") WHERE "client_secret"."expiry_recorded_at" is null and "client_secret"."revoked_at" is null;