import { listWebhookDeliveriesEndpoint } from "@/lib/management-api/webhook-endpoints";

export const GET = listWebhookDeliveriesEndpoint;
