"use client";

import { useState } from "react";

/** A secret shown once: selectable, copyable, and gone when the page is left. */
export function SecretValue({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-1 rounded border border-brand-700 bg-brand-50 p-3">
      <p className="text-sm font-semibold" id={`label-${value.slice(-6)}`}>
        {label}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          readOnly
          value={value}
          aria-labelledby={`label-${value.slice(-6)}`}
          data-testid="secret-value"
          className="min-w-0 flex-1 rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="rounded bg-brand-700 px-3 py-1 text-sm font-semibold text-white hover:bg-brand-800"
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
