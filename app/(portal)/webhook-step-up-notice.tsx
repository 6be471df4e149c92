import { hasRecentSignIn } from "@/lib/auth/caller";
import { describeStepUpWindow, reauthenticatePathFor } from "@/lib/auth/step-up";
import { env } from "@/lib/env";

/**
 * Said before a button is pressed, as on the API tab: adding an endpoint, changing its address,
 * rotating its signing secret and deleting it need a recent sign-in, so nobody loses a filled-in
 * form to the sign-in page. Nothing when the sign-in is recent.
 */
export async function WebhookStepUpNotice({ returnTo }: { returnTo: string }) {
  if (await hasRecentSignIn()) return null;
  const e = env();
  return (
    <p className="max-w-3xl rounded border-l-4 border-brand-700 bg-brand-50 px-4 py-2 text-slate-900" data-testid="step-up-notice">
      You did not sign in within {describeStepUpWindow(e.ROTOR_STEP_UP_MINUTES)}. Before you add an endpoint, change its address or events,
      rotate its signing secret or delete it, we will ask you to sign in again.{" "}
      <a href={reauthenticatePathFor(returnTo, e.ROTOR_PUBLIC_URL)} className="font-semibold text-brand-800 underline">
        Sign in again now
      </a>
    </p>
  );
}
