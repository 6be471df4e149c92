import { redirect } from "next/navigation";
import { getCaller } from "@/lib/auth/caller";

export default async function Index() {
  const caller = await getCaller();
  if (!caller) redirect("/signin");
  const first = caller.organisations[0];
  redirect(first ? `/orgs/${first.slug}` : "/platform");
}
