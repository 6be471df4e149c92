import { safeReturnPath } from "./return-to";

/*
 * Step-up before the dangerous actions (docs/security.md, "Step-up before dangerous actions"):
 * revealing a secret, rotating or revoking one, registering or revoking a key need a sign-in no
 * older than the deployment's window (ROTOR_STEP_UP_MINUTES). A session stays valid for hours, so
 * a laptop left open, or a stolen session cookie, can still read the organisation's pages, but
 * cannot take or change a credential without the person proving who they are again.
 */

/** Whether a session whose sign-in was at `authenticatedAt` may do a dangerous action at `now`. */
export function signInIsRecent(authenticatedAt: Date | null, now: Date, windowMinutes: number): boolean {
  if (authenticatedAt === null) return false;
  const age = now.getTime() - authenticatedAt.getTime();
  // A sign-in "in the future" (clock skew between instances) is as recent as one now.
  return age <= windowMinutes * 60_000;
}

/** The sign-in page in its "confirm it's you" form, bringing the person back to `path` afterwards. */
export function reauthenticatePathFor(path: string, publicUrl: string): string {
  const back = safeReturnPath(path, publicUrl);
  return back ? `/signin?reauth=1&next=${encodeURIComponent(back)}` : "/signin?reauth=1";
}

/** "the last 10 minutes", "the last minute": the window as the pages word it. */
export function describeStepUpWindow(minutes: number): string {
  return minutes === 1 ? "the last minute" : `the last ${minutes} minutes`;
}
