import type { KubeObject, ObjectStore } from "./object-store";
import { admitPod, validatePodUpdate } from "./pod-admission";
import type { ResourceType } from "./resource-catalog";

export interface AdmissionSettings {
  /** The tenant the Workload Identity webhook falls back on when a ServiceAccount names none. */
  workloadIdentityTenantId: string;
}

/** Per-type defaulting and admission for a create, before the object is stored. Mutates `object`. */
export function admitCreate(type: ResourceType, object: KubeObject, store: ObjectStore, settings: AdmissionSettings): void {
  if (type.resource === "pods") admitPod(object, type, store, settings.workloadIdentityTenantId);
  if (type.resource === "namespaces") {
    // The NamespaceDefaultLabelName label, and the finalizer the namespace controller clears.
    object.metadata.labels = { ...object.metadata.labels, "kubernetes.io/metadata.name": object.metadata.name ?? "" };
    object.spec = { finalizers: ["kubernetes"] };
    object.status = { phase: "Active" };
  }
  if (type.resource === "deployments") {
    // The apps/v1 defaults, so patches that address them (`replace /spec/replicas`) apply.
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    object.spec = { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } }, ...spec };
  }
  admitWrite(type, object);
}

/** Validation and normalisation of an update or patch, before `next` replaces `current`. Mutates `next`. */
export function admitUpdate(type: ResourceType, current: KubeObject, next: KubeObject): void {
  if (type.resource === "pods") validatePodUpdate(type, current, next);
  admitWrite(type, next);
}

/** What every write (create, update, patch) of a type normalises. Mutates `object`. */
function admitWrite(type: ResourceType, object: KubeObject): void {
  if (type.resource === "secrets") {
    // stringData is write-only: merged into data, base64-encoded, and never stored.
    const stringData = (object.stringData ?? {}) as Record<string, string>;
    const data = { ...(object.data as Record<string, string> | undefined), ...Object.fromEntries(Object.entries(stringData).map(([key, value]) => [key, Buffer.from(value).toString("base64")])) };
    if (Object.keys(data).length > 0) object.data = data;
    delete object.stringData;
    object.type ??= "Opaque";
  }
}
