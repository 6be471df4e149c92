export interface ActivityView {
  id: number;
  when: string;
  who: string;
  what: string;
}

export function ActivityList({ items }: { items: ActivityView[] }) {
  if (items.length === 0) return <p className="text-slate-700">No activity yet.</p>;
  return (
    <ol className="divide-y divide-slate-200 rounded border border-slate-300" aria-label="Recent activity">
      {items.map((item) => (
        <li key={item.id} className="flex flex-wrap gap-x-4 px-3 py-2 text-sm">
          <span className="w-36 shrink-0 text-slate-700">{item.when}</span>
          <span className="font-semibold">{item.who}</span>
          <span>{item.what}</span>
        </li>
      ))}
    </ol>
  );
}
