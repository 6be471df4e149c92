"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { signInAsDemoPerson } from "@/lib/auth/demo-sign-in";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";

export interface DemoSignInState {
  error: string | null;
}

export async function demoSignInAction(_previous: DemoSignInState, formData: FormData): Promise<DemoSignInState> {
  const h = await headers();
  const result = await signInAsDemoPerson(
    { email: formData.get("email") },
    { ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null, userAgent: h.get("user-agent") },
    new Date(),
  );
  if (!result.ok) return { error: result.error };
  const publicUrl = env().ROTOR_PUBLIC_URL;
  (await cookies()).set(sessionCookieName(publicUrl), result.sessionToken, {
    httpOnly: true,
    sameSite: "lax",
    secure: publicUrl.startsWith("https://"),
    path: "/",
    expires: result.expires,
  });
  redirect(result.landing);
}
