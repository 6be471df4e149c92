import { createWebhookEndpoint, listWebhooksEndpoint } from "@/lib/management-api/webhook-endpoints";

export const GET = listWebhooksEndpoint;
export const POST = createWebhookEndpoint;
