import { apiErrors } from "./api-errors";
import { MASTERS_GROUP, type UserInfo } from "./authentication";
import type { ObjectStore } from "./object-store";
import { authorize } from "./rbac-authorizer";

interface ReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
}

/**
 * SelfSubjectAccessReview (what `kubectl auth can-i` sends): "could I do this?", answered by the
 * same RBAC evaluation that guards real requests, for the requester (after impersonation).
 */
export function reviewSelfAccess(store: ObjectStore, user: UserInfo, body: unknown): Record<string, unknown> {
  const spec = ((body as { spec?: ReviewSpec } | null)?.spec ?? {}) as ReviewSpec;
  const attributes = spec.resourceAttributes;
  let status: { allowed: boolean; reason?: string };
  if (attributes) {
    const decision = authorize(store, user, {
      verb: attributes.verb ?? "",
      group: attributes.group ?? "",
      resource: attributes.resource ?? "",
      subresource: attributes.subresource || undefined,
      name: attributes.name || undefined,
      namespace: attributes.namespace || undefined,
    });
    status = { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
  } else if (spec.nonResourceAttributes) {
    // Every authenticated user may read discovery, version and health (system:discovery, system:public-info-viewer).
    status = { allowed: spec.nonResourceAttributes.verb === "get" || user.groups.includes(MASTERS_GROUP) };
  } else {
    throw apiErrors.invalid({ group: "authorization.k8s.io", resource: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview" }, "", [
      { field: "spec.resourceAttributes", message: "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified" },
    ]);
  }
  return { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null }, spec, status };
}
