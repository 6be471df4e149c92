DROP INDEX "audit_event_org_time_idx";--> statement-breakpoint
CREATE INDEX "audit_event_org_time_id_idx" ON "audit_event" USING btree ("organisation_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_event_time_id_idx" ON "audit_event" USING btree ("occurred_at","id");