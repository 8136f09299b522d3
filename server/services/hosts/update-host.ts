import type { THostView } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { auditOrUndo } from "../audit/append-audit-event";
import { toHostView } from "./host-view";

export interface UpdateHostOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  hostId: string;
  etag: string;
  changes: { runtimeFamilies: THostView["runtimeFamilies"]; workloadIdentity: boolean };
}

/** Changes what a host serves; its name and kind are fixed once saved. */
export async function updateHost({ store, actor, access, hostId, etag, changes }: UpdateHostOptions): Promise<THostView> {
  const hosts = hostStore(store);
  const found = await hosts.get(access.workspace.id, hostId);
  if (!found) throw notFound("Host");
  if (changes.workloadIdentity && found.kind !== "kubernetes") {
    throw new AppError("BAD_REQUEST", "Workload identity is for Kubernetes hosts only.", { field: "workloadIdentity" });
  }
  const { etag: _current, ...before } = found;
  const updated = await hosts.replace({ ...before, ...changes, updatedAt: new Date().toISOString() }, etag);
  await auditOrUndo(
    store,
    {
      workspaceId: before.workspaceId,
      eventType: "host.updated",
      actor: auditActorOf(actor),
      target: { kind: "host", id: before.id, label: before.name },
      data: {
        runtimeFamiliesBefore: before.runtimeFamilies,
        runtimeFamiliesAfter: changes.runtimeFamilies,
        workloadIdentityBefore: before.workloadIdentity,
        workloadIdentityAfter: changes.workloadIdentity,
      },
    },
    () => hosts.replace(before, updated.etag),
  );
  return toHostView(updated, access);
}
