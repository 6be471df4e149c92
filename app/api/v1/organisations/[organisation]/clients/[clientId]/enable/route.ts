import { enableClientEndpoint } from "@/lib/management-api/platform-endpoints";

export const POST = enableClientEndpoint;
