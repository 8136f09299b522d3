import type { TTurnOutcome } from "@/prisma-free-schema";

const LABELS: Record<TTurnOutcome | "running", string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

const STYLES: Record<TTurnOutcome | "running", string> = {
  running: "bg-brand-50 text-brand-700 ring-brand-100",
  succeeded: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  failed: "bg-red-50 text-red-700 ring-red-200",
  cancelled: "bg-amber-50 text-amber-800 ring-amber-200",
};

/** A turn's outcome; a turn without one is still running. */
export function TurnOutcomeBadge({ outcome }: { outcome: TTurnOutcome | null }) {
  const key = outcome ?? "running";
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[key]}`}>
      {LABELS[key]}
    </span>
  );
}
