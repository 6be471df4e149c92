CREATE TABLE "client_assertion_audience" (
	"client_id" uuid NOT NULL,
	"audience" text NOT NULL,
	"request_count" integer DEFAULT 0 NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "client_assertion_audience_client_id_audience_pk" PRIMARY KEY("client_id","audience"),
	CONSTRAINT "client_assertion_audience_length" CHECK (length("client_assertion_audience"."audience") <= 300)
);
--> statement-breakpoint
ALTER TABLE "client_assertion_audience" ADD CONSTRAINT "client_assertion_audience_client_id_oauth_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_client"("id") ON DELETE cascade ON UPDATE no action;