/**
 * JSON Merge Patch (RFC 7386) and strategic merge patch. The latter is approximated without
 * OpenAPI: lists whose field name has a known merge key merge element by element, as the
 * `patchMergeKey` tags of the core types say; every other list is replaced whole. The directives
 * kubectl's three-way patches carry ($patch, $retainKeys, $setElementOrder, $deleteFromPrimitiveList)
 * are honoured. That covers what `kubectl apply` and `kubectl patch` send for the types served here.
 * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export function applyMergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch as Json);
  const result: JsonObject = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** Field name → the key that identifies a list element (the Go types' `patchMergeKey`). */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  hostAliases: "ip",
  ownerReferences: "uid",
  conditions: "type",
};
/** Lists of scalars that merge as sets (`patchStrategy:"merge"` on a []string). */
const MERGED_SCALAR_LISTS = new Set(["finalizers"]);

export function applyStrategicMergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch as Json);
  if (patch.$patch === "replace") return withoutDirectives(patch);
  const result: JsonObject = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) continue;
    if (value === null || (isObject(value) && value.$patch === "delete")) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(key, result[key], value);
    else result[key] = isObject(value) ? applyStrategicMergePatch(result[key], value) : value;
  }
  for (const [key, value] of Object.entries(patch)) {
    const [directive, field = ""] = key.split("/");
    if (directive === "$deleteFromPrimitiveList" && Array.isArray(result[field]) && Array.isArray(value)) {
      result[field] = (result[field] as Json[]).filter((item) => !value.includes(item));
    }
    if (directive === "$setElementOrder" && Array.isArray(result[field]) && Array.isArray(value)) result[field] = reorder(field, result[field] as Json[], value);
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const key of Object.keys(result)) if (!(patch.$retainKeys as Json[]).includes(key)) delete result[key];
  }
  return result;
}

function mergeList(field: string, current: Json | undefined, patch: Json[]): Json[] {
  const original = Array.isArray(current) ? current : [];
  if (patch.some((item) => isObject(item) && item.$patch === "replace")) return patch.filter((item) => !(isObject(item) && item.$patch === "replace"));
  if (MERGED_SCALAR_LISTS.has(field)) return [...original, ...patch.filter((item) => !original.includes(item))];
  const mergeKey = MERGE_KEYS[field] ?? (field === "ports" ? portKey(patch) : undefined);
  if (!mergeKey) return structuredClone(patch);
  const merged = structuredClone(original);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = merged.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === "delete") {
      if (index >= 0) merged.splice(index, 1);
    } else if (index >= 0) merged[index] = applyStrategicMergePatch(merged[index], item);
    else merged.push(withoutDirectives(item));
  }
  return merged;
}

/** Container ports merge on containerPort, a Service's on port. */
function portKey(patch: Json[]): string {
  return patch.some((item) => isObject(item) && "containerPort" in item) ? "containerPort" : "port";
}

/** `$setElementOrder/<field>`: the listed elements in that order, any others after them. */
function reorder(field: string, list: Json[], order: Json[]): Json[] {
  const key = MERGE_KEYS[field] ?? (field === "ports" ? portKey(order) : undefined);
  const identity = (item: Json) => (key && isObject(item) ? item[key] : item);
  const position = (item: Json) => {
    const index = order.findIndex((entry) => identity(entry) === identity(item));
    return index < 0 ? order.length : index;
  };
  return [...list].sort((a, b) => position(a) - position(b));
}

function withoutDirectives(object: JsonObject): JsonObject {
  const { $patch: _patch, $retainKeys: _retain, ...rest } = object;
  return Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith("$"))) as JsonObject;
}
