import { listAuditEventsEndpoint } from "@/lib/management-api/endpoints";

export const GET = listAuditEventsEndpoint;
