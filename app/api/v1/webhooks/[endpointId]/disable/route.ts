import { disableWebhookEndpoint } from "@/lib/management-api/webhook-endpoints";

export const POST = disableWebhookEndpoint;
