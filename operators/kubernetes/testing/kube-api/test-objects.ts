import { randomUUID } from "node:crypto";
import { finishDeletion } from "./object-deletion";
import { typeKeyOf, type KubeObject, type ObjectStore } from "./object-store";
import { qualifiedResource, RESOURCE_TYPES, resourceTypeForKind, type ResourceType } from "./resource-catalog";
import { kubeTimestamp } from "./timestamps";

/**
 * A test's direct hand on the cluster state, named as kubectl names resources (`pods`,
 * `deployments.apps`). No authorization and no admission, but every change is a real write: it gets
 * a resourceVersion and reaches watches, and a removal lets the garbage collector act.
 */
export class TestObjects {
  constructor(private readonly store: ObjectStore) {}

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(typeKeyOf(typeNamed(resource)), namespace, name);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    return this.store.list(typeKeyOf(typeNamed(resource)), namespace);
  }

  /** Creates or replaces the object its apiVersion, kind, namespace and name identify. */
  put(object: KubeObject): KubeObject {
    const type = resourceTypeForKind(object.apiVersion ?? "", object.kind ?? "");
    if (!type) throw new Error(`no served resource has apiVersion ${object.apiVersion} and kind ${object.kind}`);
    const current = this.store.get(typeKeyOf(type), object.metadata.namespace, object.metadata.name ?? "");
    const identity = { uid: current?.metadata.uid ?? randomUUID(), creationTimestamp: current?.metadata.creationTimestamp ?? kubeTimestamp() };
    const next = { ...object, metadata: { ...identity, ...object.metadata } };
    return current ? this.store.update(typeKeyOf(type), next) : this.store.create(typeKeyOf(type), next);
  }

  /** Removes at once (no grace period, no finalizers); false when there was nothing to remove. */
  remove(resource: string, namespace: string | undefined, name: string): boolean {
    const type = typeNamed(resource);
    const current = this.store.get(typeKeyOf(type), namespace, name);
    if (current) finishDeletion(this.store, type, current);
    return current !== undefined;
  }
}

function typeNamed(resource: string): ResourceType {
  const type = RESOURCE_TYPES.find((candidate) => qualifiedResource(candidate) === resource && !candidate.virtual);
  if (!type) throw new Error(`no served resource is called ${resource} (name it as kubectl does: pods, deployments.apps)`);
  return type;
}
