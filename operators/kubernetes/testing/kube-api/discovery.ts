import { apiErrors } from "./api-errors";
import { openApiDocument } from "./openapi";
import { apiGroups, apiVersionOf, RESOURCE_TYPES, type ResourceType } from "./resource-catalog";

/**
 * The legacy (unaggregated) discovery documents: /api, /apis, and one APIResourceList per group
 * version. kubectl asks for the aggregated v2 form first and falls back to these when the answer is
 * plain application/json, as it does against older servers.
 * https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
 */
/**
 * The document a discovery, version or OpenAPI path serves; undefined for any other path. A
 * discovery path for something not served is a 404, as on a real server.
 */
export function discoveryDocument(pathname: string, server: { gitVersion: string; address: string }): unknown {
  const [, root, groupOrVersion, version, ...rest] = pathname.split("/");
  let document: unknown;
  if (pathname === "/version") document = versionInfo(server.gitVersion);
  else if (pathname === "/api") document = coreApiVersions(server.address);
  else if (pathname === "/apis") document = apiGroupList();
  else if (root === "api" && groupOrVersion && !version) document = apiResourceList("", groupOrVersion);
  else if (root === "apis" && groupOrVersion && !version) {
    const served = apiGroups().find(({ group }) => group === groupOrVersion);
    document = served && apiGroup(served.group, served.version);
  } else if (root === "apis" && groupOrVersion && version && rest.length === 0) document = apiResourceList(groupOrVersion, version);
  else if (root === "openapi") document = openApiDocument(pathname);
  else return undefined;
  if (document === undefined) throw apiErrors.pathNotFound();
  return document;
}

function versionInfo(gitVersion: string): Record<string, string> {
  const [, major = "1", minor = "30"] = /^v(\d+)\.(\d+)/.exec(gitVersion) ?? [];
  return { major, minor, gitVersion, gitCommit: "0000000000000000000000000000000000000000", gitTreeState: "clean", buildDate: "2024-04-17T17:27:05Z", goVersion: "go1.22.2", compiler: "gc", platform: "linux/amd64" };
}

function coreApiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function apiGroupList(): Record<string, unknown> {
  return { kind: "APIGroupList", apiVersion: "v1", groups: apiGroups().map(({ group, version }) => apiGroup(group, version)) };
}

function apiGroup(group: string, version: string): Record<string, unknown> {
  const groupVersion = { groupVersion: `${group}/${version}`, version };
  return { kind: "APIGroup", apiVersion: "v1", name: group, versions: [groupVersion], preferredVersion: groupVersion };
}

/** The APIResourceList of one group version, or undefined when it is not served. */
function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const types = RESOURCE_TYPES.filter((type) => type.group === group && type.version === version);
  if (types.length === 0) return undefined;
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf(types[0]!), resources: types.flatMap(resourceEntries) };
}

function resourceEntries(type: ResourceType): Array<Record<string, unknown>> {
  const main = {
    name: type.resource,
    singularName: type.singularName,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    ...(type.categories ? { categories: type.categories } : {}),
  };
  const subresources = (type.subresources ?? []).map((subresource) => ({
    name: `${type.resource}/${subresource}`,
    singularName: "",
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: { log: ["get"], binding: ["create"], status: ["get", "patch", "update"] }[subresource],
  }));
  return [main, ...subresources];
}
