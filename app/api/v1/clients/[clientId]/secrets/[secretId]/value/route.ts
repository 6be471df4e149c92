import { revealSecretEndpoint } from "@/lib/management-api/endpoints";

export const GET = revealSecretEndpoint;
