import type { TScope } from "@/prisma-free-schema";

export function ScopeList({ scopes }: { scopes: readonly TScope[] }) {
  if (scopes.length === 0) return <span className="text-sm text-slate-500">No scopes</span>;
  return (
    <ul className="flex flex-wrap gap-1.5">
      {scopes.map((scope) => (
        <li key={scope} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
          {scope}
        </li>
      ))}
    </ul>
  );
}
