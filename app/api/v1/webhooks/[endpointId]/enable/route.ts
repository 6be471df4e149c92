import { enableWebhookEndpoint } from "@/lib/management-api/webhook-endpoints";

export const POST = enableWebhookEndpoint;
