import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";

/*
 * A confirmed action's result, carried to the next render in a short-lived cookie (a "flash"): the
 * row whose form said it may be gone after the change (a revoked secret, a de-activated person),
 * so the page-wide live region shows it instead (components/announcer.tsx). It works before
 * JavaScript loads too. Only the action's own message: never a secret, a token or a link.
 */

export const NOTICE_COOKIE = "rotor-notice";

export interface Notice {
  id: string;
  message: string;
}

export async function setNotice(message: string): Promise<void> {
  const notice: Notice = { id: randomUUID(), message };
  (await cookies()).set(NOTICE_COOKIE, encodeURIComponent(JSON.stringify(notice)), {
    path: "/",
    maxAge: 60,
    sameSite: "lax",
    // Read by the page's script once shown, so it can be cleared there.
    httpOnly: false,
    secure: env().ROTOR_PUBLIC_URL.startsWith("https://"),
  });
}

/** The notice waiting in the request's cookies, if any and well-formed. */
export async function readNotice(): Promise<Notice | null> {
  const raw = (await cookies()).get(NOTICE_COOKIE)?.value;
  if (!raw) return null;
  try {
    const parsed = JSON.parse(decodeURIComponent(raw)) as Partial<Notice>;
    return typeof parsed.id === "string" && typeof parsed.message === "string" && parsed.message.length <= 500
      ? { id: parsed.id, message: parsed.message }
      : null;
  } catch {
    return null;
  }
}
