import type { THostStatus } from "@/prisma-free-schema";
import { HOST_STATUS_LABELS } from "@/prisma-free-schema/vocabulary";

const STYLES: Record<THostStatus, string> = {
  "awaiting-operator": "bg-amber-50 text-amber-800 ring-amber-200",
  registered: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  disconnected: "bg-red-50 text-red-700 ring-red-200",
};

const DOTS: Record<THostStatus, string> = {
  "awaiting-operator": "bg-amber-500",
  registered: "bg-emerald-500",
  disconnected: "bg-red-500",
};

export function HostStatusBadge({ status }: { status: THostStatus }) {
  return (
    <span className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${DOTS[status]}`} />
      {HOST_STATUS_LABELS[status]}
    </span>
  );
}
