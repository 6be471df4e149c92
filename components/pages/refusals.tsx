import Link from "next/link";

/*
 * The 403 and 404 pages. Each sets its own <title> (React 19 hoists it into <head>), so a page
 * reached by client-side navigation does not keep the previous page's title.
 */

export function ForbiddenContent() {
  return (
    <div className="mx-auto max-w-2xl py-10">
      <title>You do not have access · Rotor</title>
      <h1 className="text-2xl font-bold text-brand-900">You do not have access to this page</h1>
      <p className="mt-2">
        Only your organisation&apos;s admins and its designated user can see API details and people. If you need access, ask an admin of
        your organisation.
      </p>
      <p className="mt-4">
        <Link className="font-semibold text-brand-700 underline" href="/">
          Go to your home page
        </Link>
      </p>
    </div>
  );
}

export function NotFoundContent() {
  return (
    <div className="mx-auto max-w-2xl py-10">
      <title>Page not found · Rotor</title>
      <h1 className="text-2xl font-bold text-brand-900">Page not found</h1>
      <p className="mt-2">There is nothing here, or nothing you can see. Check the address, or go back to your home page.</p>
      <p className="mt-4">
        <Link className="font-semibold text-brand-700 underline" href="/">
          Go to your home page
        </Link>
      </p>
    </div>
  );
}
