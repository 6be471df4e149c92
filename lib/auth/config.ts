import NextAuth from "next-auth";
import { rotorAdapter } from "@/lib/data/auth-adapter";
import { getDb } from "@/lib/data/database";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/data/sessions";
import { readOrCreateDevSecret } from "@/lib/dev-secrets";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { maySignIn, SIGN_IN_LINK_MINUTES, sendSignInLink } from "./email-sign-in";
import { oidcProvider, oidcSettings } from "./oidc";

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null };
  }
}

/**
 * Auth.js with database sessions through the Drizzle adapter: a session is a row, so ending it
 * (sign-out, deactivation) takes effect on the next request. The config is built lazily because
 * the embedded database opens asynchronously.
 */
export const { handlers, auth, signIn } = NextAuth(async () => {
  const e = env();
  const oidc = oidcSettings(e);
  return {
    // Session tokens are kept as digests in the database (lib/data/auth-adapter.ts).
    adapter: rotorAdapter(await getDb()),
    secret: e.AUTH_SECRET ?? readOrCreateDevSecret(e.dataDir, "auth-secret"),
    // No trustHost: env() pinned AUTH_URL to ROTOR_PUBLIC_URL, and Auth.js builds every URL (links,
    // redirect URIs, callbacks) from it, never from a request's Host or X-Forwarded-Host.
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS },
    providers: [
      ...(oidc ? [await oidcProvider(oidc)] : []),
      {
        id: "email",
        type: "email",
        name: "E-mail",
        from: e.EMAIL_FROM ?? "Rotor <no-reply@rotor.example>",
        maxAge: SIGN_IN_LINK_MINUTES * 60,
        options: {},
        async sendVerificationRequest({ identifier, url }) {
          await sendSignInLink(identifier, url);
        },
      },
    ],
    pages: { signIn: "/signin", error: "/signin/error", verifyRequest: "/signin/check-email" },
    // Seed 003: authorize, token and UserInfo errors are logged (never with a token or secret).
    logger: {
      error(error) {
        // Auth.js errors carry a stable `type` (class names are minified in the bundle).
        const type = (error as { type?: string }).type ?? error.name;
        const cause = (error as { cause?: { err?: Error } }).cause?.err;
        const detail =
          cause?.message.split("\n")[0] ??
          error.message
            .split("\n")[0]
            ?.replace(/Read more at \S+/, "")
            .trim();
        log().warn({ type }, `sign-in: ${type}${detail ? `: ${detail}` : ""}`);
      },
      warn() {},
      debug() {},
    },
    callbacks: {
      // Only our own origin: a callbackUrl elsewhere lands on the home page instead (open redirect).
      redirect({ url }) {
        if (url.startsWith("/") && !url.startsWith("//")) return `${e.ROTOR_PUBLIC_URL}${url}`;
        return URL.canParse(url) && new URL(url).origin === e.ROTOR_PUBLIC_URL ? url : e.ROTOR_PUBLIC_URL;
      },
      async signIn({ user, email }) {
        const allowed = await maySignIn(user.email);
        // Asking for a link: someone not invited sees the same "check your e-mail" page and gets
        // nothing, so the form does not reveal who is registered.
        if (email?.verificationRequest) return allowed ? true : "/signin/check-email";
        return allowed;
      },
      // Who is signed in and until when, nothing more: passing the session through would put the
      // row, and with it the cookie's token, in /api/auth/session for any script on the page.
      session({ session, user }) {
        return { user: { id: user.id, name: user.name, email: user.email }, expires: session.expires };
      },
    },
  };
});
