import type { TApiTokenView } from "@/prisma-free-schema";

const STYLES: Record<TApiTokenView["status"], string> = {
  active: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  expired: "bg-amber-50 text-amber-800 ring-amber-200",
  revoked: "bg-red-50 text-red-700 ring-red-200",
};

export function TokenStatusBadge({ status }: { status: TApiTokenView["status"] }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>{status}</span>
  );
}
