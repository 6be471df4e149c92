CREATE TABLE "client_jwks_key_use" (
	"client_id" uuid NOT NULL,
	"kid" text NOT NULL,
	"last_used_at" timestamp with time zone NOT NULL,
	CONSTRAINT "client_jwks_key_use_client_id_kid_pk" PRIMARY KEY("client_id","kid")
);
--> statement-breakpoint
ALTER TABLE "client_jwks_key_use" ADD CONSTRAINT "client_jwks_key_use_client_id_oauth_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_client"("id") ON DELETE cascade ON UPDATE no action;