import { headers } from "next/headers";
import type { Actor } from "@/lib/context";
import { clientAddress } from "@/lib/request-meta";
import type { Caller } from "./caller";

/** The signed-in person as the actor of a change, with where the request came from. */
export async function actorFor(caller: Caller): Promise<Actor> {
  return { type: "user", userId: caller.userId, label: caller.email ?? caller.userId, ...clientAddress(await headers()) };
}
