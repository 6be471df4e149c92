import { createClientEndpoint, listOrganisationClientsEndpoint } from "@/lib/management-api/platform-endpoints";

export const GET = listOrganisationClientsEndpoint;
export const POST = createClientEndpoint;
