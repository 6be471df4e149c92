import { headers } from "next/headers";
import type { Actor } from "@/lib/credentials/context";
import type { Caller } from "./caller";

/** The signed-in person as the actor of a change, with where the request came from. */
export async function actorFor(caller: Caller): Promise<Actor> {
  const h = await headers();
  return {
    type: "user",
    userId: caller.userId,
    label: caller.email ?? caller.userId,
    ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
    userAgent: h.get("user-agent"),
  };
}
