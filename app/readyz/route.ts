import { routeHandlersFor } from "@/lib/oauth/route-handler";

export const dynamic = "force-dynamic";
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeHandlersFor("/readyz");
