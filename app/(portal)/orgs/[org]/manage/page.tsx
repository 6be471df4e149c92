import { redirect } from "next/navigation";
import { requireOrganisationAccess } from "@/lib/auth/caller";

export default async function ManageIndex({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation } = await requireOrganisationAccess(org, "offices.view");
  redirect(`/orgs/${organisation.slug}/manage/offices`);
}
