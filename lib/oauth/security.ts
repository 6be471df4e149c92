import { baselineHeaders, MACHINE_CSP } from "@/lib/http/security-headers";

/** The headers every machine-path answer carries, on both mounts (lib/http/security-headers.ts). */
export function machineHeaders(publicUrl: string): Record<string, string> {
  return { ...baselineHeaders(publicUrl), "Content-Security-Policy": MACHINE_CSP };
}

/** Adds them to a core response where it has not set its own. */
export function withMachineHeaders(response: Response, publicUrl: string): Response {
  for (const [name, value] of Object.entries(machineHeaders(publicUrl))) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
}
