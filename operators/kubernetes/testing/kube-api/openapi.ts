import { RESOURCE_TYPES, type ResourceType } from "./resource-catalog";

/**
 * Just enough OpenAPI v3 for kubectl. kubectl 1.27+ will not apply without OpenAPI: it either
 * validates client-side against the schema, or, when the spec shows the PATCH operation of a kind
 * taking a `fieldValidation` query parameter, leaves validation to the server and sends
 * `fieldValidation=Strict`. So each group version's document lists, per kind, that PATCH operation
 * (tagged with x-kubernetes-group-version-kind, accepting strategic merge patch) and no schemas:
 * with `components.schemas` empty, `kubectl apply` computes strategic merge patches from its
 * compiled-in types, silently. /openapi/v2 stays a 404 (kubectl asks for it only as protobuf).
 * See k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go and kubectl's apply/patcher.go.
 */
export function openApiDocument(pathname: string): unknown {
  if (pathname === "/openapi/v3") {
    const paths = Object.fromEntries(groupVersionPaths().map((path) => [path, { serverRelativeURL: `/openapi/v3/${path}?hash=${HASH}` }]));
    return { paths };
  }
  const path = pathname.replace(/^\/openapi\/v3\//, "");
  const types = RESOURCE_TYPES.filter((type) => groupVersionPath(type) === path && !type.virtual);
  if (!pathname.startsWith("/openapi/v3/") || types.length === 0) return undefined;
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "unversioned" }, paths: Object.fromEntries(types.map((type) => [objectPath(type), { patch: patchOperation(type) }])), components: { schemas: {} } };
}

/** The documents never change within a run, so one constant hash lets kubectl cache them. */
const HASH = "0000000000000000000000000000000000000000000000000000000000000000";

function groupVersionPath(type: ResourceType): string {
  return type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`;
}

function groupVersionPaths(): string[] {
  return [...new Set(RESOURCE_TYPES.filter((type) => !type.virtual).map(groupVersionPath))];
}

function objectPath(type: ResourceType): string {
  return `/${groupVersionPath(type)}${type.namespaced ? "/namespaces/{namespace}" : ""}/${type.resource}/{name}`;
}

function patchOperation(type: ResourceType): Record<string, unknown> {
  const body = { schema: { type: "object" } };
  return {
    operationId: `patch${type.kind}`,
    "x-kubernetes-action": "patch",
    "x-kubernetes-group-version-kind": { group: type.group, version: type.version, kind: type.kind },
    parameters: ["dryRun", "fieldManager", "fieldValidation", "force"].map((name) => ({ name, in: "query", schema: { type: name === "force" ? "boolean" : "string" } })),
    requestBody: { content: Object.fromEntries(["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"].map((type) => [type, body])) },
    responses: { "200": { description: "OK" } },
  };
}

