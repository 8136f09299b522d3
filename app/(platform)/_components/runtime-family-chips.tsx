import type { TRuntimeFamily } from "@/prisma-free-schema";

export function RuntimeFamilyChips({ families, empty = "None" }: { families: readonly TRuntimeFamily[]; empty?: string }) {
  if (families.length === 0) return <span className="text-sm text-slate-500">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1.5">
      {families.map((family) => (
        <li key={family} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
          {family}
        </li>
      ))}
    </ul>
  );
}
