import { HOST_CHOICE_RULES, type TProfileSettings, type TWorkspace } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";

/**
 * The rules a profile's settings must meet against the workspace's hosts (shape is checked by
 * zod already): a named host exists here; then what HOST_CHOICE_RULES says the choice allows
 * (the same table profiles.options lists): a workload identity needs a Kubernetes host with
 * workload identity on; a persistent workspace needs Local Docker; a warm pool, managed compute.
 * Each refusal names its field.
 */
export async function validateProfileSettings(store: Store, workspace: TWorkspace, settings: TProfileSettings): Promise<void> {
  const choice = settings.hostChoice;
  const host = choice.kind === "host" ? await hostStore(store).get(workspace.id, choice.hostId) : undefined;
  if (choice.kind === "host" && !host) {
    throw new AppError("BAD_REQUEST", "That host does not exist in this workspace.", { field: "hostChoice" });
  }
  const allows = HOST_CHOICE_RULES[host ? host.kind : (choice.kind as "managed" | "default-docker")];
  if (settings.workloadIdentity && !(allows.workloadIdentity && host?.workloadIdentity)) {
    throw new AppError("BAD_REQUEST", "A workload identity needs a Kubernetes host with workload identity turned on.", { field: "workloadIdentity" });
  }
  if (settings.persistentWorkspace && !allows.persistentWorkspace) {
    throw new AppError("BAD_REQUEST", "Persistent workspaces are for Local Docker hosts only.", { field: "persistentWorkspace" });
  }
  if (settings.warmPool > 0 && !allows.warmPool) {
    throw new AppError("BAD_REQUEST", "Warm sandboxes are kept on managed compute; a Local Docker host keeps its own warm pool, set on the host's page.", { field: "warmPool" });
  }
}
