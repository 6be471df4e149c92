"use client";

import { useId, useRef, useState } from "react";

/**
 * A secret shown once: selectable, copyable, and gone when the page is left. "Copied" is said only
 * when the clipboard took it; otherwise the value is selected for the person to copy themselves.
 */
export function SecretValue({ value, label }: { value: string; label: string }) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <div className="space-y-1 rounded border border-brand-700 bg-brand-50 p-3">
      <p className="text-sm font-semibold" id={`${id}-label`}>
        {label}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          ref={input}
          readOnly
          value={value}
          aria-labelledby={`${id}-label`}
          data-testid="secret-value"
          className="min-w-0 flex-1 basis-72 rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="rounded bg-brand-700 px-3 py-1 text-sm font-semibold text-white hover:bg-brand-800"
          onClick={async () => {
            try {
              if (!navigator.clipboard) throw new Error("no clipboard");
              await navigator.clipboard.writeText(value);
              setCopy("copied");
            } catch {
              setCopy("failed");
              input.current?.focus();
            }
          }}
        >
          Copy<span className="sr-only"> {label.toLowerCase()}</span>
        </button>
      </div>
      <p aria-live="polite" className="text-sm text-slate-800">
        {copy === "copied"
          ? "Copied to the clipboard."
          : copy === "failed"
            ? "This browser did not allow copying: the value is selected, press Ctrl+C (or ⌘C) to copy it."
            : ""}
      </p>
    </div>
  );
}
