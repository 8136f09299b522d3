import type { THostView } from "@/prisma-free-schema";

/** What the operator reported at its last check-in, as it reported it. */
export function HealthFacts({ health }: { health: THostView["health"] }) {
  const entries = Object.entries(health).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span className="text-slate-500">No health facts reported yet.</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-mono text-xs text-slate-500">{key}</dt>
          <dd className="break-all font-mono text-xs text-slate-900">{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
