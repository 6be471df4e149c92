-- An organisation whose overlap is half its validity or more would have its next secret due while
-- two are still live (docs/domain.md, "Two live secrets, two live keys"). New and changed policies
-- are held to it; NOT VALID leaves a policy set before this rule as it is until it is next saved.
ALTER TABLE "organisation" ADD CONSTRAINT "organisation_overlap_under_half" CHECK ("organisation"."overlap_days" * 2 < "organisation"."validity_days") NOT VALID;
