ALTER TABLE "client_public_key" DROP CONSTRAINT "client_public_key_bits";--> statement-breakpoint
ALTER TABLE "client_public_key" ADD COLUMN "key_type" text;--> statement-breakpoint
-- Every key registered before EC keys were accepted is RSA (the old check held 2048 to 4096 bits).
UPDATE "client_public_key" SET "key_type" = 'RSA';--> statement-breakpoint
ALTER TABLE "client_public_key" ALTER COLUMN "key_type" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "client_public_key" ADD CONSTRAINT "client_public_key_type" CHECK ("client_public_key"."key_type" in ('RSA', 'EC'));--> statement-breakpoint
ALTER TABLE "client_public_key" ADD CONSTRAINT "client_public_key_family" CHECK (("client_public_key"."key_type" = 'RSA' and "client_public_key"."bits" between 2048 and 4096 and "client_public_key"."alg" in ('RS256', 'PS256') and "client_public_key"."jwk" ->> 'kty' = 'RSA')
        or ("client_public_key"."key_type" = 'EC' and "client_public_key"."bits" = 256 and "client_public_key"."alg" = 'ES256' and "client_public_key"."jwk" ->> 'kty' = 'EC' and "client_public_key"."jwk" ->> 'crv' = 'P-256'));
