import Link from "next/link";

/** Previous and next page links under a paged table, with where the reader is. */
export function Pager({
  label,
  page,
  pageCount,
  total,
  pageSize,
  hrefFor,
}: {
  label: string;
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  hrefFor: (page: number) => string;
}) {
  if (total === 0) return null;
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const link = "rounded border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50";
  return (
    <nav aria-label={label} className="flex flex-wrap items-center gap-3 text-sm">
      <p className="text-slate-700">
        Showing {from}–{to} of {total}
        {pageCount > 1 ? ` · page ${page} of ${pageCount}` : ""}
      </p>
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} className={link}>
          Previous page
        </Link>
      ) : null}
      {page < pageCount ? (
        <Link href={hrefFor(page + 1)} className={link}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
