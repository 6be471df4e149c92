import { listPlatformAuditEventsEndpoint } from "@/lib/management-api/platform-endpoints";

export const GET = listPlatformAuditEventsEndpoint;
