import type { TResourceClass } from "@/prisma-free-schema";
import { RESOURCE_CLASSES } from "@/prisma-free-schema/vocabulary";

function memory(mib: number): string {
  return mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/** "0.5 vCPU · 1 GiB" */
export function resourceClassSize(id: TResourceClass): string {
  const spec = RESOURCE_CLASSES[id];
  return `${spec.cpu} vCPU · ${memory(spec.memoryMiB)}`;
}

/** "Small — 0.5 vCPU, 1 GiB", as the resource class select offers it. */
export function resourceClassOption(id: TResourceClass): string {
  const spec = RESOURCE_CLASSES[id];
  return `${spec.label} — ${spec.cpu} vCPU, ${memory(spec.memoryMiB)}`;
}
