import type { THost, THostView } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { HOST_CHANGED_MESSAGE, hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { toHostView } from "./host-view";

export interface UpdateHostOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  hostId: string;
  /** The host's revision the admin edited: their change applies only if nobody else's came since. */
  revision: string;
  changes: { name?: string | undefined; runtimeFamilies: THostView["runtimeFamilies"]; workloadIdentity: boolean };
}

/**
 * Changes a host's name or what it serves; its kind is fixed once saved. A rename does not reach
 * a running operator (it dials by the host's id, and the name in its bundle is only for its logs).
 * A Kubernetes host keeps its name: it names the host's namespace (`discoparrot-<name>`), so a
 * rename would install the next bundle beside the running pods, and a new host could take the
 * old name and so the live namespace.
 */
export async function updateHost({ store, actor, access, hostId, revision, changes }: UpdateHostOptions): Promise<THostView> {
  const hosts = hostStore(store);
  const before = await hosts.get(access.workspace.id, hostId);
  if (!before) throw notFound("Host");
  // Checked against the revision, not the etag: an operator's check-in moves the etag but is no edit.
  const check = (host: Pick<THost, "updatedAt" | "kind" | "name">) => {
    if (host.updatedAt !== revision) throw new AppError("CONFLICT", HOST_CHANGED_MESSAGE);
    if (changes.name !== undefined && changes.name !== host.name && host.kind === "kubernetes") {
      throw new AppError("BAD_REQUEST", "A Kubernetes host's name is its namespace's, so it cannot change. Register a new host to use another name.", { field: "name" });
    }
    if (changes.workloadIdentity && host.kind !== "kubernetes") {
      throw new AppError("BAD_REQUEST", "Workload identity is for Kubernetes hosts only.", { field: "workloadIdentity" });
    }
  };
  check(before);
  const name = changes.name ?? before.name;
  const updatedAt = new Date().toISOString();
  const updated = await auditedChange(
    store,
    {
      workspaceId: before.workspaceId,
      eventType: "host.updated",
      actor: auditActorOf(actor),
      target: { kind: "host", id: before.id, label: name },
      data: {
        ...(name !== before.name ? { nameBefore: before.name, nameAfter: name } : {}),
        runtimeFamiliesBefore: before.runtimeFamilies,
        runtimeFamiliesAfter: changes.runtimeFamilies,
        workloadIdentityBefore: before.workloadIdentity,
        workloadIdentityAfter: changes.workloadIdentity,
      },
    },
    { container: "hosts", partitionKey: before.workspaceId, id: before.id, landed: { field: "updatedAt", equals: updatedAt } },
    async () => {
      const result = await hosts.update(access.workspace.id, hostId, (host) => {
        check(host);
        return { ...host, name, runtimeFamilies: changes.runtimeFamilies, workloadIdentity: changes.workloadIdentity, updatedAt };
      });
      if (!result?.after) throw notFound("Host");
      return result.after;
    },
  );
  return toHostView(updated, access);
}
