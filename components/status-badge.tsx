const STYLES = {
  good: "bg-green-100 text-green-900 border-green-700",
  warn: "bg-amber-100 text-amber-950 border-amber-700",
  bad: "bg-red-100 text-red-900 border-red-700",
  info: "bg-brand-50 text-brand-900 border-brand-700",
  muted: "bg-slate-100 text-slate-800 border-slate-500",
} as const;

export type BadgeTone = keyof typeof STYLES;

/** Colour never carries meaning alone: the label says it. */
export function StatusBadge({ tone, children }: { tone: BadgeTone; children: string }) {
  return <span className={`inline-block rounded border px-2 py-0.5 text-xs font-semibold ${STYLES[tone]}`}>{children}</span>;
}
