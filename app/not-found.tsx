import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="text-2xl font-bold text-brand-900">Page not found</h1>
      <p className="mt-2">There is nothing here, or nothing you can see. Check the address, or go back to your home page.</p>
      <p className="mt-4">
        <Link className="font-semibold text-brand-700 underline" href="/">
          Go to your home page
        </Link>
      </p>
    </main>
  );
}
