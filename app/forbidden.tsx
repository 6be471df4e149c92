import Link from "next/link";

export default function Forbidden() {
  return (
    <main id="main" className="mx-auto max-w-2xl px-4 py-16">
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
    </main>
  );
}
