import Link from "next/link";

/** The people tabs' empty state for a search that matched nobody, with the way back to everyone. */
export function NoPeopleMatch({ clearHref }: { clearHref: string }) {
  return (
    <p>
      Nobody matches your search.{" "}
      <Link href={clearHref} className="font-semibold text-brand-700 underline">
        Clear the search
      </Link>{" "}
      to see everyone, or try part of a name or e-mail address.
    </p>
  );
}
