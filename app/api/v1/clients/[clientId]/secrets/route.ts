import { listSecretsEndpoint, rotateSecretEndpoint } from "@/lib/management-api/endpoints";

export const GET = listSecretsEndpoint;
export const POST = rotateSecretEndpoint;
