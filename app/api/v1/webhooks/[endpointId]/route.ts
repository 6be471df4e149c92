import { deleteWebhookEndpoint, readWebhookEndpoint, updateWebhookEndpoint } from "@/lib/management-api/webhook-endpoints";

export const GET = readWebhookEndpoint;
export const PUT = updateWebhookEndpoint;
export const DELETE = deleteWebhookEndpoint;
