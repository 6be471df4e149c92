/**
 * Opens the database when the server starts, so that a second process on the same embedded
 * folder is refused at once with a clear message (not on its first request), and the embedded
 * database is migrated and seeded before anyone signs in. (NEXT_RUNTIME is a build-time constant
 * Next.js inlines, not configuration, so it is read here rather than in lib/env.ts.)
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startOrExit } = await import("@/lib/startup");
  await startOrExit();
}
