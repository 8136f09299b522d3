import { randomUUID } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { admitCreate, admitUpdate, type AdmissionSettings } from "./admission";
import { apiErrors } from "./api-errors";
import { finishDeletion } from "./object-deletion";
import { applyJsonPatch } from "./json-patch";
import { applyMergePatch, applyStrategicMergePatch } from "./merge-patches";
import { typeKeyOf, type KubeObject, type ObjectStore } from "./object-store";
import { apiVersionOf, type ResourceType } from "./resource-catalog";
import { sameJson } from "./same-json";
import { kubeTimestamp } from "./timestamps";

/**
 * Create, update (PUT) and patch, with the generic registry's rules: names validated and generated,
 * server-owned metadata (uid, creationTimestamp, resourceVersion, generation) kept by the server,
 * optimistic concurrency on resourceVersion, and the status subresource split (a write to the
 * object ignores status; a write to /status changes only status). A write that changes nothing
 * stores nothing and emits no event, as a real no-op update.
 */
export interface WriteContext {
  store: ObjectStore;
  admission: AdmissionSettings;
  dryRun: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Resources whose names must be DNS labels (they become hostnames), not just subdomains. */
const LABEL_NAMED = new Set(["namespaces", "services"]);

export function createObject(context: WriteContext, type: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
  const object = asObject(body);
  const { store } = context;
  const meta = object.metadata;
  if (type.namespaced) {
    if (meta.namespace && meta.namespace !== namespace) throw apiErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    meta.namespace = namespace;
    const owningNamespace = store.get("/namespaces", undefined, namespace ?? "");
    if (!owningNamespace) throw apiErrors.notFound({ group: "", resource: "namespaces" }, namespace ?? "");
    if (owningNamespace.metadata.deletionTimestamp) {
      throw apiErrors.forbidden(type, meta.name || undefined, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  } else delete meta.namespace;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
  validateName(type, meta.name ?? "");
  if (meta.resourceVersion) throw apiErrors.invalid(type, meta.name ?? "", [{ field: "metadata.resourceVersion", message: `Invalid value: "${meta.resourceVersion}": must be empty` }]);
  if (store.get(typeKeyOf(type), meta.namespace, meta.name ?? "")) throw apiErrors.alreadyExists(type, meta.name ?? "");

  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  Object.assign(meta, { uid: randomUUID(), creationTimestamp: kubeTimestamp(), ...(type.tracksGeneration ? { generation: 1 } : {}) });
  object.apiVersion = apiVersionOf(type);
  object.kind = type.kind;
  admitCreate(type, object, store, context.admission);
  if (context.dryRun) return object;
  const created = store.create(typeKeyOf(type), object);
  // The service account controller gives every namespace its "default" account.
  if (type.resource === "namespaces") store.create("/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: meta.name, uid: randomUUID(), creationTimestamp: kubeTimestamp() } });
  return created;
}

export function updateObject(context: WriteContext, type: ResourceType, namespace: string | undefined, name: string, subresource: string | undefined, body: unknown): KubeObject {
  const current = context.store.get(typeKeyOf(type), namespace, name);
  if (!current) throw apiErrors.notFound(type, name);
  const object = asObject(body);
  if (object.metadata.name && object.metadata.name !== name) throw apiErrors.badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
  if (object.metadata.resourceVersion && object.metadata.resourceVersion !== current.metadata.resourceVersion) throw apiErrors.conflict(type, name);
  return storeUpdate(context, type, current, object, subresource);
}

const PATCHERS: Record<string, (target: unknown, patch: unknown) => unknown> = {
  "application/merge-patch+json": applyMergePatch,
  "application/strategic-merge-patch+json": applyStrategicMergePatch,
  "application/json-patch+json": applyJsonPatch,
};

/**
 * PATCH by content type. Server-side apply (`application/apply-patch+yaml`) is approximated as a
 * merge patch that creates a missing object, without managedFields or conflict detection.
 */
export function patchObject(context: WriteContext, type: ResourceType, namespace: string | undefined, name: string, subresource: string | undefined, contentType: string, rawBody: string): KubeObject {
  const current = context.store.get(typeKeyOf(type), namespace, name);
  if (contentType === "application/apply-patch+yaml") {
    const applied = parseBody(() => parseYaml(rawBody) as unknown);
    if (!current) return createObject(context, type, namespace, applied);
    return storeUpdate(context, type, current, asObject(applyMergePatch(current, applied)), subresource);
  }
  const patcher = PATCHERS[contentType];
  if (!patcher) throw apiErrors.unsupportedMediaType(["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml", "application/strategic-merge-patch+json"]);
  if (!current) throw apiErrors.notFound(type, name);
  const patched = asObject(patcher(current, parseBody(() => JSON.parse(rawBody) as unknown)));
  // A patch may pin the version it was computed against (kubectl apply does on retries).
  if (patched.metadata.resourceVersion && patched.metadata.resourceVersion !== current.metadata.resourceVersion) throw apiErrors.conflict(type, name);
  return storeUpdate(context, type, current, patched, subresource);
}

/** Stores `requested` as the next version of `current`, keeping what clients may not change. */
function storeUpdate(context: WriteContext, type: ResourceType, current: KubeObject, requested: KubeObject, subresource: string | undefined): KubeObject {
  let next: KubeObject;
  if (subresource === "status") next = { ...current, status: requested.status };
  else {
    next = { ...requested, apiVersion: current.apiVersion, kind: current.kind };
    if (type.subresources?.includes("status")) next.status = current.status;
    const kept = ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] as const;
    next.metadata = { ...requested.metadata, ...Object.fromEntries(kept.filter((key) => current.metadata[key] !== undefined).map((key) => [key, current.metadata[key]])) };
    if (!next.metadata.namespace) delete next.metadata.namespace;
    if (type.tracksGeneration && !sameJson(next.spec, current.spec)) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
  }
  admitUpdate(type, current, next);
  next.metadata.resourceVersion = current.metadata.resourceVersion;
  if (sameJson(next, current) || context.dryRun) return next;
  // The last finalizer removed from an object being deleted lets the deletion finish.
  if (next.metadata.deletionTimestamp && current.metadata.finalizers?.length && !next.metadata.finalizers?.length) return finishDeletion(context.store, type, next);
  return context.store.update(typeKeyOf(type), next);
}

function asObject(body: unknown): KubeObject {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw apiErrors.badRequest("the object provided is unrecognized (must be of type object)");
  const object = structuredClone(body) as KubeObject;
  object.metadata = typeof object.metadata === "object" && object.metadata !== null ? object.metadata : {};
  return object;
}

function parseBody(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    throw apiErrors.badRequest(`the body of the request could not be decoded: ${String(error)}`);
  }
}

function validateName(type: ResourceType, name: string): void {
  if (!name) throw apiErrors.invalid(type, "", [{ field: "metadata.name", message: "Required value: name or generateName is required" }]);
  const label = LABEL_NAMED.has(type.resource);
  if (label ? DNS_LABEL.test(name) && name.length <= 63 : DNS_SUBDOMAIN.test(name) && name.length <= 253) return;
  const what = label
    ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
    : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  throw apiErrors.invalid(type, name, [{ field: "metadata.name", message: `Invalid value: "${name}": ${what}` }]);
}

/** generateName's suffix: five characters from the alphabet apimachinery uses (no vowels, no 0/1/3). */
function randomSuffix(): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
}
