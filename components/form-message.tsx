import type { ActionState } from "@/lib/action-state";

/** Success is announced politely; an error is an alert. The message says what to do next. */
export function FormMessage({ state }: { state: ActionState }) {
  if (state.status === "idle" || !state.message) return null;
  return state.status === "error" ? (
    <p role="alert" className="rounded border-l-4 border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">
      {state.message}
    </p>
  ) : (
    <p role="status" className="rounded border-l-4 border-green-700 bg-green-50 px-3 py-2 text-sm text-green-900">
      {state.message}
    </p>
  );
}
