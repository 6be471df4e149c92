import { readClientEndpoint, updateClientSettingsEndpoint } from "@/lib/management-api/platform-endpoints";

export const GET = readClientEndpoint;
export const PATCH = updateClientSettingsEndpoint;
