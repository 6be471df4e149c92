import { disableClientEndpoint } from "@/lib/management-api/platform-endpoints";

export const POST = disableClientEndpoint;
