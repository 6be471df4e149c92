import { revokeKeyEndpoint } from "@/lib/management-api/endpoints";

export const POST = revokeKeyEndpoint;
