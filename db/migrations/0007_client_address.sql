CREATE TABLE "client_address" (
	"client_id" text NOT NULL,
	"address" text NOT NULL,
	"last_success_at" timestamp with time zone NOT NULL,
	CONSTRAINT "client_address_client_id_address_pk" PRIMARY KEY("client_id","address")
);
--> statement-breakpoint
ALTER TABLE "client_address" ADD CONSTRAINT "client_address_client_id_oauth_client_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_client"("client_id") ON DELETE cascade ON UPDATE no action;