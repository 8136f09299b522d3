import type { ReactNode } from "react";

export function TokenFact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-400">{term}</dt>
      <dd className="mt-0.5 truncate text-sm text-slate-700">{children}</dd>
    </div>
  );
}
