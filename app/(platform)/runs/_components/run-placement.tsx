import type { TRunPlacement } from "@/prisma-free-schema";
import { HOST_KIND_LABELS } from "@/prisma-free-schema/vocabulary";

/** Where a run's sandbox runs: "Managed", or the host's name with its kind under it. */
export function RunPlacement({ placement }: { placement: TRunPlacement }) {
  if (placement.provider === "managed") return <span>Managed</span>;
  return (
    <span>
      <span className="break-all font-mono">{placement.hostName ?? "A deleted host"}</span>
      <span className="block text-xs text-slate-500 max-lg:inline max-lg:before:content-['_·_']">{HOST_KIND_LABELS[placement.provider]}</span>
    </span>
  );
}
