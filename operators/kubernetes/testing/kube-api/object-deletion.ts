import { apiErrors, statusObject } from "./api-errors";
import { typeKeyOf, type KubeObject, type ObjectStore } from "./object-store";
import { RESOURCE_TYPES, type ResourceType } from "./resource-catalog";
import { kubeTimestamp } from "./timestamps";

/** The DeleteOptions that matter here, from the body or the query (`?gracePeriodSeconds=0`). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/**
 * DELETE, with what the controllers behind a real API server add to it:
 * - a pod bound to a node is deleted gracefully: it gets deletionTimestamp and
 *   deletionGracePeriodSeconds (a MODIFIED event) and stays until its kubelet deletes it again with
 *   gracePeriodSeconds=0; an unbound or finished pod goes at once;
 * - an object with finalizers waits, marked for deletion, until they are removed;
 * - a namespace turns Terminating at once and, shortly after (`deferNamespaceCleanup`), takes
 *   everything in it along (the namespace controller), so a `kubectl delete -f` that names the
 *   namespace first still finds the objects after it;
 * - whatever names a removed object as its owner (ownerReferences, by uid) is deleted once no owner
 *   is left (the garbage collector), or, with propagationPolicy Orphan, loses the reference.
 * The garbage collector acts synchronously, so a test sees its outcome as soon as the request returns.
 */
export function deleteObject(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
  deferNamespaceCleanup: (cleanup: () => void) => void = (cleanup) => cleanup(),
): KubeObject | Record<string, unknown> {
  const current = store.get(typeKeyOf(type), namespace, name);
  if (!current) throw apiErrors.notFound(type, name);
  const { uid, resourceVersion } = options.preconditions ?? {};
  if (uid && uid !== current.metadata.uid) throw apiErrors.preconditionFailed(type, name, `UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
  if (resourceVersion && resourceVersion !== current.metadata.resourceVersion) {
    throw apiErrors.preconditionFailed(type, name, `ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
  }
  if (options.dryRun) return deletedResponse(type, current);

  const grace = type.resource === "pods" ? podGracePeriod(current, options.gracePeriodSeconds) : 0;
  if (grace > 0 || current.metadata.finalizers?.length) {
    const pending = current.metadata.deletionGracePeriodSeconds;
    if (current.metadata.deletionTimestamp && pending !== undefined && pending <= grace) return current;
    current.metadata.deletionTimestamp = kubeTimestamp(grace);
    current.metadata.deletionGracePeriodSeconds = grace;
    return store.update(typeKeyOf(type), current);
  }

  if (type.resource === "namespaces") {
    if (current.metadata.deletionTimestamp) return current;
    const terminating = store.update("/namespaces", { ...current, metadata: { ...current.metadata, deletionTimestamp: kubeTimestamp() }, status: { phase: "Terminating" } });
    deferNamespaceCleanup(() => {
      emptyNamespace(store, name);
      const stillThere = store.get("/namespaces", undefined, name);
      if (stillThere) finishDeletion(store, type, stillThere);
    });
    return terminating;
  }
  return deletedResponse(type, finishDeletion(store, type, current, options.propagationPolicy === "Orphan"));
}

/** Removes the object for good, then lets the garbage collector act on its dependents. */
export function finishDeletion(store: ObjectStore, type: ResourceType, object: KubeObject, orphanDependents = false): KubeObject {
  const removed = store.remove(typeKeyOf(type), object.metadata.namespace, object.metadata.name ?? "") ?? object;
  collectDependents(store, removed, orphanDependents);
  return removed;
}

/** The grace a pod's deletion gets: 0 for a pod no kubelet runs (unbound or finished). */
function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = pod.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!spec?.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  return Math.max(0, requested ?? spec.terminationGracePeriodSeconds ?? 30);
}

function deletedResponse(type: ResourceType, removed: KubeObject): KubeObject | Record<string, unknown> {
  if (type.returnsDeletedObject) return removed;
  return statusObject({ status: "Success", details: { name: removed.metadata.name, ...(type.group ? { group: type.group } : {}), kind: type.resource, uid: removed.metadata.uid } });
}

/** The namespace controller's work: remove every object in the namespace, whatever its grace period. */
function emptyNamespace(store: ObjectStore, namespace: string): void {
  for (const type of RESOURCE_TYPES.filter((candidate) => candidate.namespaced)) {
    for (const object of store.list(typeKeyOf(type), namespace)) {
      const removed = store.remove(typeKeyOf(type), object.metadata.namespace, object.metadata.name ?? "");
      if (removed) collectDependents(store, removed, false);
    }
  }
}

function collectDependents(store: ObjectStore, owner: KubeObject, orphan: boolean): void {
  const liveUids = new Set([...store.entries()].map(([, object]) => object.metadata.uid));
  for (const [typeKey, dependent] of store.entries()) {
    const references = dependent.metadata.ownerReferences ?? [];
    if (!references.some((reference) => reference.uid === owner.metadata.uid)) continue;
    const type = RESOURCE_TYPES.find((candidate) => typeKeyOf(candidate) === typeKey)!;
    const remaining = references.filter((reference) => reference.uid !== owner.metadata.uid);
    if (orphan || remaining.some((reference) => liveUids.has(reference.uid))) {
      store.update(typeKey, { ...dependent, metadata: { ...dependent.metadata, ownerReferences: remaining } });
    } else if (store.get(typeKey, dependent.metadata.namespace, dependent.metadata.name ?? "")) {
      deleteObject(store, type, dependent.metadata.namespace, dependent.metadata.name ?? "", {});
    }
  }
}
