import { rotateWebhookSecretEndpoint } from "@/lib/management-api/webhook-endpoints";

export const POST = rotateWebhookSecretEndpoint;
