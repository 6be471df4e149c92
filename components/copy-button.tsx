"use client";

import { useState } from "react";

/**
 * Copies a value that is not secret (a client ID, the endpoint). Says "Copied" only when the
 * clipboard took it; otherwise says how to copy it by hand. `what` names it for screen readers.
 */
export function CopyButton({ value, what }: { value: string; what: string }) {
  const [result, setResult] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className="ml-2 rounded border border-brand-700 px-2 py-0.5 text-xs font-semibold text-brand-700 hover:bg-brand-50"
        onClick={async () => {
          try {
            if (!navigator.clipboard) throw new Error("no clipboard");
            await navigator.clipboard.writeText(value);
            setResult("copied");
          } catch {
            setResult("failed");
          }
        }}
      >
        Copy<span className="sr-only"> {what}</span>
      </button>
      <span aria-live="polite" className="ml-2 text-xs text-slate-700">
        {result === "copied" ? "Copied." : result === "failed" ? "Copying is blocked here: select the text and copy it." : ""}
      </span>
    </>
  );
}
