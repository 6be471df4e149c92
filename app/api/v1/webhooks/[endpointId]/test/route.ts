import { testWebhookEndpoint } from "@/lib/management-api/webhook-endpoints";

export const POST = testWebhookEndpoint;
