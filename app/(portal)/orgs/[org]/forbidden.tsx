import { ForbiddenContent } from "@/components/pages/refusals";

/** Inside the organisation's layout, so a refused page keeps the header and navigation. */
export default function OrganisationForbidden() {
  return <ForbiddenContent />;
}
