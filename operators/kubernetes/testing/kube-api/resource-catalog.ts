/**
 * The resource types this test API server serves, as discovery describes them. Anything not here is
 * a 404, exactly as on a cluster without that API.
 */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lowercase: the URL segment and what RBAC rules name. */
  resource: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<"status" | "log" | "binding">;
  /** Field selectors beyond metadata.name / metadata.namespace (from each registry's GetAttrs). */
  fieldSelectors?: string[];
  /** A delete answers with the object, not a Status (`ReturnDeletedObject` in the real registry). */
  returnsDeletedObject?: boolean;
  /** metadata.generation counts spec changes. */
  tracksGeneration?: boolean;
  /** Never stored: a review computed per request (SelfSubjectAccessReview). */
  virtual?: boolean;
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const RESOURCE_TYPES: ResourceType[] = [
  { group: "", version: "v1", resource: "namespaces", singularName: "namespace", kind: "Namespace", namespaced: false, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], shortNames: ["ns"], subresources: ["status"], fieldSelectors: ["status.phase"] },
  {
    group: "", version: "v1", resource: "pods", singularName: "pod", kind: "Pod", namespaced: true, verbs: ALL_VERBS, shortNames: ["po"], categories: ["all"], subresources: ["status", "log", "binding"], returnsDeletedObject: true,
    fieldSelectors: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
  },
  { group: "", version: "v1", resource: "secrets", singularName: "secret", kind: "Secret", namespaced: true, verbs: ALL_VERBS, fieldSelectors: ["type"] },
  { group: "", version: "v1", resource: "configmaps", singularName: "configmap", kind: "ConfigMap", namespaced: true, verbs: ALL_VERBS, shortNames: ["cm"] },
  { group: "", version: "v1", resource: "serviceaccounts", singularName: "serviceaccount", kind: "ServiceAccount", namespaced: true, verbs: ALL_VERBS, shortNames: ["sa"], returnsDeletedObject: true },
  { group: "", version: "v1", resource: "services", singularName: "service", kind: "Service", namespaced: true, verbs: ALL_VERBS, shortNames: ["svc"], categories: ["all"], subresources: ["status"], returnsDeletedObject: true },
  {
    group: "", version: "v1", resource: "events", singularName: "event", kind: "Event", namespaced: true, verbs: ALL_VERBS, shortNames: ["ev"],
    fieldSelectors: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
  },
  { group: "apps", version: "v1", resource: "deployments", singularName: "deployment", kind: "Deployment", namespaced: true, verbs: ALL_VERBS, shortNames: ["deploy"], categories: ["all"], subresources: ["status"], tracksGeneration: true },
  { group: "rbac.authorization.k8s.io", version: "v1", resource: "roles", singularName: "role", kind: "Role", namespaced: true, verbs: ALL_VERBS },
  { group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings", singularName: "rolebinding", kind: "RoleBinding", namespaced: true, verbs: ALL_VERBS },
  { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", singularName: "clusterrole", kind: "ClusterRole", namespaced: false, verbs: ALL_VERBS },
  { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings", singularName: "clusterrolebinding", kind: "ClusterRoleBinding", namespaced: false, verbs: ALL_VERBS },
  { group: "networking.k8s.io", version: "v1", resource: "ingresses", singularName: "ingress", kind: "Ingress", namespaced: true, verbs: ALL_VERBS, shortNames: ["ing"], subresources: ["status"], tracksGeneration: true },
  { group: "networking.k8s.io", version: "v1", resource: "networkpolicies", singularName: "networkpolicy", kind: "NetworkPolicy", namespaced: true, verbs: ALL_VERBS, shortNames: ["netpol"], tracksGeneration: true },
  { group: "authorization.k8s.io", version: "v1", resource: "selfsubjectaccessreviews", singularName: "selfsubjectaccessreview", kind: "SelfSubjectAccessReview", namespaced: false, verbs: ["create"], virtual: true },
];

/** Discovery order: the legacy core group first, then the named groups as registered. */
export function apiGroups(): Array<{ group: string; version: string }> {
  const seen = new Map<string, string>();
  for (const type of RESOURCE_TYPES) if (type.group && !seen.has(type.group)) seen.set(type.group, type.version);
  return [...seen].map(([group, version]) => ({ group, version }));
}

export function findResourceType(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => type.group === group && type.version === version && type.resource === resource);
}

export function resourceTypeForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => apiVersionOf(type) === apiVersion && type.kind === kind);
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** How the API server names a resource in messages: `pods`, `deployments.apps`. */
export function qualifiedResource(type: Pick<ResourceType, "group" | "resource">): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}

/** The kind a message names for validation errors: `Pod`, `Deployment.apps`. */
export function qualifiedKind(type: Pick<ResourceType, "group" | "kind">): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}
