import { listClientsEndpoint } from "@/lib/management-api/endpoints";

export const GET = listClientsEndpoint;
