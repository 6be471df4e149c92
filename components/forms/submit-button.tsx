"use client";

import { useFormStatus } from "react-dom";

/** A form's submit button, disabled while its form is being sent so nothing is sent twice. */
export function SubmitButton({
  className,
  children,
  pendingLabel,
}: {
  className: string;
  children: React.ReactNode;
  pendingLabel?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={className} disabled={pending}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
