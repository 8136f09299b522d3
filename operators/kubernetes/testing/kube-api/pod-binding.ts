import { apiErrors, KubeApiError, statusObject } from "./api-errors";
import type { ObjectStore } from "./object-store";
import type { ResourceType } from "./resource-catalog";

/**
 * `pods/<name>/binding`, how kube-scheduler assigns a pod to a node: a Binding whose target names
 * the node sets `spec.nodeName`, once. (An update cannot: nodeName is immutable on the pod itself.)
 */
export function bindPod(store: ObjectStore, type: ResourceType, namespace: string, name: string, body: unknown): Record<string, unknown> {
  const binding = (body ?? {}) as { metadata?: { uid?: string }; target?: { kind?: string; name?: string } };
  const pod = store.get("/pods", namespace, name);
  if (!pod) throw apiErrors.notFound(type, name);
  const conflict = (why: string) => new KubeApiError(409, "Conflict", `Operation cannot be fulfilled on pods/binding "${name}": ${why}`, { name, kind: "pods/binding" });
  const spec = pod.spec as { nodeName?: string };
  if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata.uid) throw conflict(`Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${pod.metadata.uid}`);
  if (pod.metadata.deletionTimestamp) throw conflict(`pod ${name} is being deleted, cannot be assigned to a host`);
  if (spec.nodeName) throw conflict(`pod ${name} is already assigned to node "${spec.nodeName}"`);
  if (binding.target?.kind !== "Node" || !binding.target.name) throw apiErrors.badRequest("binding target must be a Node with a name");
  store.update("/pods", { ...pod, spec: { ...spec, nodeName: binding.target.name } });
  return statusObject({ status: "Success", code: 201 });
}
