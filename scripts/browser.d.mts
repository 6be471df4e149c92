export function chromiumExecutable(environment?: Record<string, string | undefined>): string | undefined;
export function missingBrowserAdvice(environment?: Record<string, string | undefined>): string | null;
export const CHROMIUM_ARGS: string[];
