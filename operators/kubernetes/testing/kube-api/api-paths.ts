import { findResourceType, type ResourceType } from "./resource-catalog";

export interface ResourceTarget {
  type: ResourceType;
  /** The namespace in the URL; undefined for cluster-scoped types and all-namespace collections. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * Resolves a resource URL the way the API server's installer lays them out:
 * `/api/v1/<resource>[/<name>[/<subresource>]]`, `/api/v1/namespaces/<ns>/<resource>[/<name>[/<subresource>]]`,
 * and the same under `/apis/<group>/<version>`. Undefined for anything else (a 404).
 */
export function parseResourcePath(pathname: string): ResourceTarget | undefined {
  const segments = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segments[0] === "api") [group, version, rest] = ["", segments[1], segments.slice(2)];
  else if (segments[0] === "apis") [group, version, rest] = [segments[1] ?? "", segments[2], segments.slice(3)];
  else return undefined;
  if (!version || rest.length === 0) return undefined;

  // `namespaces/<ns>/status` is the Namespace's own subresource, not a resource called "status" in <ns>.
  const namespacedPath = rest[0] === "namespaces" && rest.length >= 3 && !(rest.length === 3 && ["status", "finalize"].includes(rest[2]!));
  const [namespace, resource, name, subresource, ...extra] = namespacedPath ? rest.slice(1) : [undefined, ...rest];
  const type = findResourceType(group, version, resource ?? "");
  if (!type || extra.length > 0 || (namespace !== undefined && !type.namespaced)) return undefined;
  if (subresource !== undefined && !type.subresources?.includes(subresource as "status" | "log" | "binding")) return undefined;
  return { type, namespace, name, subresource };
}
