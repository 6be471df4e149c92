import { revokeSecretEndpoint } from "@/lib/management-api/endpoints";

export const POST = revokeSecretEndpoint;
