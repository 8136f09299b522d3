import type { THostSummary } from "@/prisma-free-schema";
import type { HostChoiceKind } from "./profile-draft";

/** Whether the form offers an option for the chosen host, and if not, why, in the server's own words. */
export type Applicability = { offered: true } | { offered: false; why: string };

export interface HostApplicability {
  workloadIdentity: Applicability;
  persistentWorkspace: Applicability;
}

/**
 * What the chosen host can take, mirroring the refusals of validate-profile-settings.ts (which
 * still refuses on save): a workload identity needs a Kubernetes host with it on; a persistent
 * workspace needs Local Docker. A host the viewer cannot see (no hosts.read, or still loading) is
 * offered everything, and the server decides.
 */
export function hostApplicability(hostKind: HostChoiceKind, host: THostSummary | undefined): HostApplicability {
  const unknown = hostKind === "host" && !host;
  if (unknown) return { workloadIdentity: { offered: true }, persistentWorkspace: { offered: true } };

  let workloadIdentity: Applicability = { offered: true };
  if (hostKind !== "host" || host?.kind !== "kubernetes") {
    const where = hostKind === "managed" ? "Managed compute" : hostKind === "default-docker" ? "A Local Docker host" : `${host?.name}, a Local Docker host,`;
    workloadIdentity = { offered: false, why: `A workload identity needs a Kubernetes host with workload identity turned on. ${where} cannot run as one.` };
  } else if (!host.workloadIdentity) {
    workloadIdentity = {
      offered: false,
      why: `A workload identity needs a Kubernetes host with workload identity turned on. ${host.name} has it off; turn it on on the host's page.`,
    };
  }

  const onDocker = hostKind === "default-docker" || host?.kind === "docker";
  const persistentWorkspace: Applicability = onDocker ? { offered: true } : { offered: false, why: "Persistent workspaces are for Local Docker hosts only." };
  return { workloadIdentity, persistentWorkspace };
}
