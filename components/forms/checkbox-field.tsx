import type { ReactNode } from "react";

/** A labelled checkbox sent as "on" when ticked; its id is `${formId}-${name}`, as TextField's. */
export function CheckboxField({
  formId,
  name,
  label,
  defaultChecked,
  className = "flex items-center gap-2",
}: {
  formId: string;
  name: string;
  label: ReactNode;
  defaultChecked: boolean;
  className?: string;
}) {
  const id = `${formId}-${name}`;
  return (
    <div className={className}>
      <input id={id} name={name} type="checkbox" defaultChecked={defaultChecked} className="h-4 w-4" />
      <label htmlFor={id} className="text-sm">
        {label}
      </label>
    </div>
  );
}
