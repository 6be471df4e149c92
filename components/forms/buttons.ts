/*
 * The portal's button styles, in one place so that every form looks the same. The sizes differ
 * on purpose: full-size buttons end a form, compact ones sit in a table row.
 */
const base = "rounded text-sm font-semibold disabled:opacity-60";

export const buttons = {
  primary: `${base} bg-brand-700 px-3 py-1.5 text-white hover:bg-brand-800`,
  /** The one call to action of a whole page (onboarding). */
  primaryLarge: "rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60",
  secondary: `${base} border border-brand-700 px-3 py-1.5 text-brand-700 hover:bg-brand-50`,
  secondaryRow: `${base} border border-brand-700 px-3 py-1 text-brand-700 hover:bg-brand-50`,
  secondaryCompact: `${base} border border-brand-700 px-2 py-1 text-brand-700 hover:bg-brand-50`,
  danger: `${base} bg-red-700 px-3 py-1.5 text-white hover:bg-red-800`,
  dangerRow: `${base} bg-red-700 px-3 py-1 text-white hover:bg-red-800`,
  /** Opens a confirmation; the red filled button inside it does the harm. */
  dangerOutline: `${base} border border-red-700 px-3 py-1.5 text-red-800 hover:bg-red-50`,
  dangerOutlineRow: `${base} whitespace-nowrap border border-red-700 px-3 py-1 text-red-800 hover:bg-red-50`,
} as const;
