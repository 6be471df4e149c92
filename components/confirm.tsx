"use client";

import { useEffect, useRef } from "react";

const secondary = "rounded px-3 py-1.5 text-sm font-semibold disabled:opacity-60 border border-brand-700 text-brand-700 hover:bg-brand-50";

/** A confirmation step before a destructive action; focus moves into it and back out on cancel. */
export function Confirm({
  trigger,
  triggerContext,
  triggerClass,
  children,
  onCancel,
  open,
  setOpen,
}: {
  trigger: string;
  /** Said after the trigger's name to screen readers only, e.g. "secret ending 4fRk", so buttons in a list differ. */
  triggerContext?: string;
  triggerClass: string;
  children: React.ReactNode;
  onCancel?: () => void;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const panel = useRef<HTMLFieldSetElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);
  if (!open) {
    return (
      <button ref={button} type="button" className={triggerClass} onClick={() => setOpen(true)}>
        {trigger}
        {triggerContext ? <span className="sr-only"> {triggerContext}</span> : null}
      </button>
    );
  }
  return (
    <fieldset
      ref={panel}
      tabIndex={-1}
      className="space-y-2 rounded border border-red-300 bg-red-50 p-3"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          setOpen(false);
          onCancel?.();
        }
      }}
    >
      <legend className="sr-only">{trigger}</legend>
      {children}
      <button
        type="button"
        className={secondary}
        onClick={() => {
          setOpen(false);
          onCancel?.();
        }}
      >
        Cancel
      </button>
    </fieldset>
  );
}
