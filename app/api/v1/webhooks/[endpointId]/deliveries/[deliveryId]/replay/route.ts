import { replayWebhookDeliveryEndpoint } from "@/lib/management-api/webhook-endpoints";

export const POST = replayWebhookDeliveryEndpoint;
