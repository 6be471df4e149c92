import { env } from "@/lib/env";
import { buildOpenApiDocument } from "@/lib/management-api/openapi";

export function GET(): Response {
  return Response.json(buildOpenApiDocument(env().ROTOR_PUBLIC_URL), { headers: { "Cache-Control": "public, max-age=300" } });
}
