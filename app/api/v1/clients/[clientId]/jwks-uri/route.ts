import { setJwksUriEndpoint } from "@/lib/management-api/endpoints";

export const PUT = setJwksUriEndpoint;
