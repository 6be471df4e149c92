import type { InputHTMLAttributes } from "react";

const inputClass = "w-full rounded border border-slate-500 px-2 py-1";

export interface TextFieldProps
  extends Pick<InputHTMLAttributes<HTMLInputElement>, "min" | "max" | "required" | "placeholder" | "autoComplete"> {
  /** The form's useId(): the input's id is `${formId}-${name}`. */
  formId: string;
  name: string;
  label: string;
  /** Marks the label "(optional)". */
  optional?: boolean;
  /** The field's message from the last submission; shown instead of the hint. */
  error?: string;
  hint?: string;
  defaultValue?: string | null;
  type?: string;
  className?: string;
}

/**
 * A labelled input with its hint or, after a refused submission, its error in the same place,
 * tied to it by aria-describedby and marked aria-invalid so a screen reader says what to fix.
 */
export function TextField({ formId, name, label, optional, error, hint, defaultValue, type = "text", className, ...rest }: TextFieldProps) {
  const id = `${formId}-${name}`;
  const note = error ?? hint;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-semibold">
        {label}
        {optional ? " (optional)" : ""}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        className={className ?? inputClass}
        {...rest}
      />
      {note ? (
        <p id={`${id}-note`} className={`text-xs ${error ? "font-semibold text-red-800" : "text-slate-700"}`}>
          {note}
        </p>
      ) : null}
    </div>
  );
}
