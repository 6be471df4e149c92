import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { DemoReauthenticateForm } from "@/components/demo-reauthenticate-form";
import { DemoSignInForm } from "@/components/demo-sign-in-form";
import { EmailSignInForm } from "@/components/email-sign-in-form";
import { Logo } from "@/components/logo";
import { type Caller, getCaller } from "@/lib/auth/caller";
import { demoSignInEnabled } from "@/lib/auth/demo-sign-in";
import { oidcSettings } from "@/lib/auth/oidc";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { safeReturnPath } from "@/lib/auth/return-to";
import { describeStepUpWindow } from "@/lib/auth/step-up";
import { getDb } from "@/lib/data/database";
import { getPlatformSettings } from "@/lib/data/platform";
import { listDemoAccounts } from "@/lib/data/users";
import { env } from "@/lib/env";
import { demoSignInAction, emailReauthenticateAction, emailSignInAction, oidcReauthenticateAction, oidcSignInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

/** Errors Auth.js sends back to this page; each says what happened and that trying again is safe. */
const SIGN_IN_ERRORS: Record<string, string> = {
  OAuthCallbackError: "The sign-in service reported a problem and did not sign you in. Nothing was changed: please try again.",
  OAuthSignin: "We could not start signing you in with the sign-in service. Please try again in a moment.",
  OAuthAccountNotLinked: "This sign-in is linked to another account. Sign in the way you did before, or ask your admin.",
  AccessDenied: "You cannot sign in to this portal. Ask an admin of your organisation to invite or re-activate you.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ signedOut?: string; error?: string; next?: string; reauth?: string }>;
}) {
  const { signedOut, error, next: asked, reauth } = await searchParams;
  // Only a page of our own signed-in areas is carried through sign-in (lib/auth/return-to.ts).
  const next = safeReturnPath(asked, env().ROTOR_PUBLIC_URL);
  const caller = await getCaller();
  if (caller && reauth === "1") return <ConfirmItsYou caller={caller} next={next} error={error} />;
  if (caller) redirect(next ?? "/");
  const db = await getDb();
  const settings = await getPlatformSettings(db);
  const demo = demoSignInEnabled();
  const oidc = oidcSettings(env());
  const accounts = demo
    ? (await listDemoAccounts(db)).map((a) => ({
        email: a.email ?? "",
        name: a.name ?? a.email ?? "Unnamed",
        organisation: a.organisation,
        roleLabel: a.role === "operator" ? "Platform operator" : ROLE_LABELS[a.role],
        active: a.active,
      }))
    : [];
  // A person in several organisations is listed once, under the first, naming the others: one
  // "Continue as" button per person.
  const people: typeof accounts = [];
  for (const a of accounts) {
    const first = people.find((p) => p.email === a.email);
    if (first) first.roleLabel += ` · also ${a.roleLabel.toLowerCase()} of ${a.organisation ?? "the platform"}`;
    else people.push({ ...a });
  }
  return (
    <main id="main" className="mx-auto max-w-2xl px-4 py-10">
      <div className="mb-6 flex items-center gap-3">
        <Logo className="h-12 w-12" />
        <div>
          <p className="text-sm text-slate-700">{settings.serviceName}</p>
          <h1 className="text-2xl font-bold text-brand-900">Sign in to manage your API credentials</h1>
        </div>
      </div>
      {error ? (
        <p role="alert" className="mb-4 rounded border-l-4 border-red-700 bg-red-50 px-4 py-3 text-red-900">
          {SIGN_IN_ERRORS[error] ?? "Signing in did not complete. Nothing was changed: please try again."}
        </p>
      ) : null}
      {signedOut ? (
        <p role="status" className="mb-4 rounded border-l-4 border-green-700 bg-green-50 px-4 py-3 text-green-900">
          You have signed out.
        </p>
      ) : null}
      {oidc ? (
        <section aria-labelledby="oidc-heading" className="mb-6 space-y-3 rounded border border-slate-300 bg-white p-4">
          <h2 id="oidc-heading" className="text-lg font-semibold">
            Sign in with {oidc.name}
          </h2>
          <form action={oidcSignInAction.bind(null, next)}>
            <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
              Continue to {oidc.name}
            </button>
          </form>
        </section>
      ) : null}
      <section aria-labelledby="email-heading" className="mb-8 space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="email-heading" className="text-lg font-semibold">
          Sign in with your e-mail address
        </h2>
        <p className="text-slate-700">We e-mail you a link that signs you in. It works once, for 10 minutes.</p>
        <EmailSignInForm action={emailSignInAction.bind(null, next)} />
      </section>
      {demo ? (
        <section aria-labelledby="demo-heading" className="space-y-3">
          <h2 id="demo-heading" className="text-lg font-semibold">
            Demo sign-in
          </h2>
          <p className="text-slate-700">
            This is a demonstration with made-up organisations. Choose a person to see Rotor as they would. Demo sign-in is never available
            on a production deployment.
          </p>
          <DemoSignInForm people={people} action={demoSignInAction.bind(null, next)} />
        </section>
      ) : null}
    </main>
  );
}

/**
 * Step-up (lib/auth/step-up.ts, docs/security.md): the signed-in person proves who they are again,
 * the same way they signed in, and comes back to `next`. Only their own identity is offered.
 */
async function ConfirmItsYou({ caller, next, error }: { caller: Caller; next: string | null; error?: string }) {
  const oidc = oidcSettings(env());
  const demo = demoSignInEnabled();
  const minutes = env().ROTOR_STEP_UP_MINUTES;
  const name = caller.name ?? caller.email ?? "you";
  return (
    <main id="main" className="mx-auto max-w-2xl space-y-6 px-4 py-10">
      <div className="flex items-center gap-3">
        <Logo className="h-12 w-12" />
        <h1 className="text-2xl font-bold text-brand-900">Confirm it&apos;s you</h1>
      </div>
      <p className="text-slate-800">
        Revealing, rotating or revoking a credential and registering a key need a sign-in within {describeStepUpWindow(minutes)}. Sign in
        again as {name} and you will come straight back.
      </p>
      {error ? (
        <p role="alert" className="rounded border-l-4 border-red-700 bg-red-50 px-4 py-3 text-red-900">
          {SIGN_IN_ERRORS[error] ?? "Signing in did not complete. Nothing was changed: please try again."}
        </p>
      ) : null}
      {oidc ? (
        <form action={oidcReauthenticateAction.bind(null, next)} className="rounded border border-slate-300 bg-white p-4">
          <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
            Sign in again with {oidc.name}
          </button>
        </form>
      ) : null}
      {caller.email ? (
        <form action={emailReauthenticateAction.bind(null, next)} className="space-y-2 rounded border border-slate-300 bg-white p-4">
          <p className="text-slate-800">
            {oidc ? "Or get" : "Get"} a sign-in link at <strong>{caller.email}</strong>. It works once, for 10 minutes.
          </p>
          <button type="submit" className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-800 hover:bg-brand-50">
            E-mail me a sign-in link
          </button>
        </form>
      ) : null}
      {demo && caller.email ? <DemoReauthenticateForm email={caller.email} name={name} action={demoSignInAction.bind(null, next)} /> : null}
      <p>
        <Link className="font-semibold text-brand-700 underline" href={next ?? "/"}>
          Cancel and go back
        </Link>
      </p>
    </main>
  );
}
