import { z } from "zod";
import type { MemberSearch } from "@/lib/data/memberships";

/**
 * The people tabs' search, from the URL (`?q=&role=&page=`): a GET form, so it works without
 * JavaScript and the back button returns to the last search. A bad value falls back to its
 * default, never an error page.
 */
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

const peopleSearch = z.object({
  q: z.preprocess(first, z.string().trim().max(200)).catch(""),
  role: z.preprocess(first, z.enum(["admin", "spoc", "member"]).nullable()).catch(null),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000)).catch(1),
});

export function parsePeopleSearch(params: Record<string, string | string[] | undefined>): MemberSearch {
  return peopleSearch.parse({ q: params.q ?? "", role: params.role ?? null, page: params.page ?? 1 });
}

/** The tab's address for a search and page; empty parts left out. */
export function peopleSearchHref(path: string, search: MemberSearch, page = search.page): string {
  const params = new URLSearchParams();
  if (search.q) params.set("q", search.q);
  if (search.role) params.set("role", search.role);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export const isFiltered = (search: MemberSearch) => search.q !== "" || search.role !== null;
