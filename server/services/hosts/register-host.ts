import { newId, type THost, type THostView, type TRegisterHostInput } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { caps, withinCap } from "../limits/caps";
import { assertByoEntitled } from "./byo-entitlement";
import { toHostView } from "./host-view";

export interface RegisterHostOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  input: TRegisterHostInput;
}

/** A new host record, Awaiting operator until its operator connects and claims it. */
export async function registerHost({ store, actor, access, input }: RegisterHostOptions): Promise<THostView> {
  assertByoEntitled(access.workspace);
  const now = new Date().toISOString();
  const host: THost = {
    id: newId("host"),
    type: "host",
    workspaceId: access.workspace.id,
    kind: input.kind,
    name: input.name,
    runtimeFamilies: input.runtimeFamilies,
    status: "awaiting-operator",
    lastSeenAt: null,
    operatorVersion: null,
    health: {},
    installKeyHash: null,
    installKeyFingerprint: null,
    workloadIdentity: input.workloadIdentity,
    createdBy: actor.userId,
    createdByEmail: actor.email,
    createdAt: now,
    updatedAt: now,
  };
  const hosts = hostStore(store);
  const created = await auditedChange(
    store,
    {
      workspaceId: host.workspaceId,
      eventType: "host.registered",
      actor: auditActorOf(actor),
      target: { kind: "host", id: host.id, label: host.name },
      data: { kind: host.kind, runtimeFamilies: host.runtimeFamilies, workloadIdentity: host.workloadIdentity },
    },
    { container: "hosts", partitionKey: host.workspaceId, id: host.id, landed: "present" },
    () => withinCap(store, caps.hosts(host.workspaceId), () => hosts.create(host)),
  );
  return toHostView(created, access);
}
