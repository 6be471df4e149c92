/**
 * Auth.js's database-session cookie. Its name carries the __Secure- prefix when the site is served
 * over https, exactly as @auth/core names it, so sessions we create are the ones auth() reads.
 */
export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith("https://") ? "__Secure-authjs.session-token" : "authjs.session-token";
}

export const SESSION_COOKIE_NAMES = ["authjs.session-token", "__Secure-authjs.session-token"] as const;
