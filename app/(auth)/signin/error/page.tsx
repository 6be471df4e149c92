import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign-in problem" };

/** What happened, in plain words, and a way to try again (seed 003: errors land on a page that says so). */
const MESSAGES: Record<string, { title: string; body: string }> = {
  Verification: {
    title: "That sign-in link has expired or was already used",
    body: "Sign-in links work once, for 10 minutes. Ask for a new one.",
  },
  AccessDenied: {
    title: "You cannot sign in to this portal",
    body: "Your account is not invited, or it has been de-activated. Ask an admin of your organisation to invite or re-activate you.",
  },
  Configuration: {
    title: "Sign-in is not working on our side",
    body: "Something is wrong with this portal's sign-in set-up. Try again in a few minutes; if it keeps happening, tell your platform operator.",
  },
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const message = MESSAGES[error ?? ""] ?? {
    title: "Sign-in did not complete",
    body: "Something interrupted signing in. Nothing was changed. Please try again.",
  };
  return (
    <main id="main" className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="text-2xl font-bold text-brand-900">{message.title}</h1>
      <p className="mt-3">{message.body}</p>
      <p className="mt-4">
        <Link className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800" href="/signin">
          Try signing in again
        </Link>
      </p>
    </main>
  );
}
