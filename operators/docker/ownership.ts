import { DOCKER_LABELS, ZSandboxId } from "@/prisma-free-schema";

/**
 * Which containers and volumes are this operator's: those carrying `managed-by=discoparrot` and
 * this host's id. Everything the operator lists, removes or mounts goes through these checks, so
 * a container or volume someone else made on the same engine is never touched.
 */
export const MANAGED_BY = "discoparrot";

/** Labels of the operator's own beyond the protocol's (they never leave the engine). */
export const OPERATOR_LABELS = {
  /** A warm container, started ahead of any claim; it gets its sandbox only by its name. */
  warm: "io.discoparrot.warm",
  /** A volume removed with its container. */
  scratch: "io.discoparrot.scratch",
} as const;

/** Containers are named for their sandbox (`dp-<sandboxId>`): labels cannot change after creation, names can. */
export const sandboxContainerName = (sandboxId: string) => `dp-${sandboxId}`;
export const scratchVolumeName = (suffix: string) => `dp-scratch-${suffix}`;

/** The sandbox id in a container's name (`/dp-sbx_…` as the API lists it), if it has one. */
export function sandboxIdOfName(name: string): string | undefined {
  const bare = name.replace(/^\//, "");
  if (!bare.startsWith("dp-")) return undefined;
  const id = bare.slice(3);
  return ZSandboxId.safeParse(id).success ? id : undefined;
}

export function ownLabels(hostId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [DOCKER_LABELS.managedBy]: MANAGED_BY, [DOCKER_LABELS.hostId]: hostId, ...extra };
}

/** A `filters` value for list calls: only what this host's operator made (plus any other labels). */
export function ownFilter(hostId: string, extra: string[] = []): { label: string[] } {
  return { label: [`${DOCKER_LABELS.managedBy}=${MANAGED_BY}`, `${DOCKER_LABELS.hostId}=${hostId}`, ...extra] };
}

export function isOwn(labels: Record<string, string> | null | undefined, hostId: string): boolean {
  return labels?.[DOCKER_LABELS.managedBy] === MANAGED_BY && labels[DOCKER_LABELS.hostId] === hostId;
}
