"use client";

import { useEffect, useRef, useState } from "react";

/**
 * One live region for the whole page, outside every row and form: the result of a change that
 * removes its own row (a revoked secret, a de-activated person) stays announced, and visible,
 * after the row is gone (WCAG 4.1.3). The server hands it on in a one-time cookie
 * (lib/actions/notice.ts). Polite, and a plain aria-live region rather than a second role="status".
 */
export function Announcer({ notice }: { notice: { id: string; message: string } | null }) {
  const [message, setMessage] = useState<string | null>(null);
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (!notice || shown.current === notice.id) return;
    shown.current = notice.id;
    setMessage(notice.message);
    // biome-ignore lint/suspicious/noDocumentCookie: clearing the one-time notice cookie the server set for this page.
    document.cookie = "rotor-notice=; Max-Age=0; path=/; SameSite=Lax";
  }, [notice]);
  return (
    <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
      {message ? (
        <p
          data-testid="announcement"
          className="pointer-events-auto flex max-w-xl items-start gap-3 rounded border-l-4 border-green-700 bg-white px-4 py-3 text-sm text-green-950 shadow-lg"
        >
          <span>{message}</span>
          <button type="button" className="font-semibold text-brand-700 underline" onClick={() => setMessage(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
    </div>
  );
}
