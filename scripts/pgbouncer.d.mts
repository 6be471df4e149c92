export function findPgbouncer(): string | null;
export function freePort(): Promise<number>;
export function startPgbouncer(
  serverUrl: string,
  port?: number,
): Promise<{ url: string; pid: number; log(): string; stop(): Promise<void> }>;
