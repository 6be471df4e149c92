"use client";

import { createContext, type ReactNode, useCallback, useContext, useState } from "react";

type Announce = (message: string) => void;

const AnnouncerContext = createContext<Announce>(() => {});

/**
 * One live region for the whole page, outside every row and form: a result stays announced (and
 * visible) after the row it came from is gone, e.g. a revoked secret or a de-activated person
 * (WCAG 4.1.3). Polite, and a plain aria-live region rather than a second role="status".
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  const announce = useCallback<Announce>((text) => setMessage(text), []);
  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
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
    </AnnouncerContext.Provider>
  );
}

/** Announces a result page-wide. */
export function useAnnounce(): Announce {
  return useContext(AnnouncerContext);
}
