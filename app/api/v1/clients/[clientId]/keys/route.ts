import { listKeysEndpoint, registerKeyEndpoint } from "@/lib/management-api/endpoints";

export const GET = listKeysEndpoint;
export const POST = registerKeyEndpoint;
