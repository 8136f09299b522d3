import type { ServerResponse } from "node:http";
import { reviewSelfAccess } from "./access-reviews";
import type { AdmissionSettings } from "./admission";
import { apiErrors } from "./api-errors";
import type { ResourceTarget } from "./api-paths";
import type { UserInfo } from "./authentication";
import { deleteObject, type DeleteOptions } from "./object-deletion";
import { typeKeyOf, type KubeObject, type ObjectStore } from "./object-store";
import { createObject, patchObject, updateObject, type WriteContext } from "./object-writes";
import { bindPod } from "./pod-binding";
import { readPodLog, type PodLogSource } from "./pod-logs";
import { authorize, denialMessage } from "./rbac-authorizer";
import { apiVersionOf, type ResourceType } from "./resource-catalog";
import { parseFieldSelector, parseLabelSelector, type ObjectMatcher } from "./selectors";
import type { WatchStreams } from "./watch-streams";

export interface ResourceRequest {
  method: string;
  target: ResourceTarget;
  query: URLSearchParams;
  contentType: string;
  body: string;
  user: UserInfo;
}

export interface ServerState {
  store: ObjectStore;
  watches: WatchStreams;
  admission: AdmissionSettings;
  podLogSource?: PodLogSource;
  /** Runs the namespace controller's cleanup after a deleted namespace has been Terminating a while. */
  deferNamespaceCleanup: (cleanup: () => void) => void;
}

export type ApiResponse = { status: number; json: unknown } | { status: number; text: string } | "streaming";

/**
 * One resource request: the verb it means (the API server's RequestInfo), RBAC on that verb, then
 * the verb itself. A watch writes to `response` directly; everything else returns what to send.
 */
export async function serveResourceRequest(state: ServerState, request: ResourceRequest, response: ServerResponse): Promise<ApiResponse> {
  const { target, query } = request;
  const { type, namespace, name, subresource } = target;
  const verb = requestVerb(request);
  const attributes = { verb, group: type.group, resource: type.resource, subresource, name, namespace };
  if (!authorize(state.store, request.user, attributes).allowed) throw apiErrors.forbidden(type, name, denialMessage(request.user, attributes));

  const write: WriteContext = { store: state.store, admission: state.admission, dryRun: query.get("dryRun") === "All" };
  const typeKey = typeKeyOf(type);
  switch (verb) {
    case "get": {
      const object = state.store.get(typeKey, namespace, name!);
      if (!object) throw apiErrors.notFound(type, name!);
      if (subresource === "log") return { status: 200, text: await readPodLog(object, query, state.podLogSource) };
      return { status: 200, json: object };
    }
    case "list":
      return { status: 200, json: listObjects(state.store, type, namespace, query) };
    case "watch":
      state.watches.serve(
        {
          type,
          namespace,
          matches: selectorFor(type, query),
          resourceVersion: query.get("resourceVersion") ?? undefined,
          allowBookmarks: query.get("allowWatchBookmarks") === "true",
          sendInitialEvents: query.get("sendInitialEvents") === "true",
          timeoutSeconds: query.has("timeoutSeconds") ? Number(query.get("timeoutSeconds")) : undefined,
        },
        response,
      );
      return "streaming";
    case "create":
      if (type.virtual) return { status: 201, json: reviewSelfAccess(state.store, request.user, parseJson(request.body, request.contentType)) };
      if (subresource === "binding") return { status: 201, json: bindPod(state.store, type, namespace!, name!, parseJson(request.body, request.contentType)) };
      return { status: 201, json: createObject(write, type, namespace, parseJson(request.body, request.contentType)) };
    case "update":
      return { status: 200, json: updateObject(write, type, namespace, name!, subresource, parseJson(request.body, request.contentType)) };
    case "patch": {
      const existed = state.store.get(typeKey, namespace, name!) !== undefined;
      const patched = patchObject(write, type, namespace, name!, subresource, request.contentType, request.body);
      return { status: existed ? 200 : 201, json: patched };
    }
    case "delete":
      return { status: 200, json: deleteObject(state.store, type, namespace, name!, deleteOptions(request), state.deferNamespaceCleanup) };
    case "deletecollection": {
      const doomed = (listObjects(state.store, type, namespace, query).items as KubeObject[]).map((item) => item.metadata);
      const items = doomed.map((meta) => deleteObject(state.store, type, meta.namespace, meta.name!, deleteOptions(request)));
      return { status: 200, json: { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(state.store.currentResourceVersion()) }, items } };
    }
    default:
      throw apiErrors.methodNotAllowed();
  }
}

function requestVerb({ method, target, query }: ResourceRequest): string {
  const named = target.name !== undefined;
  const watching = query.get("watch") === "true" || query.get("watch") === "1";
  const binding = target.subresource === "binding";
  const verb = { GET: named ? "get" : watching ? "watch" : "list", POST: named === binding ? "create" : "", PUT: named ? "update" : "", PATCH: named ? "patch" : "", DELETE: named ? "delete" : "deletecollection" }[method];
  if (!verb || !target.type.verbs.includes(verb)) throw apiErrors.methodNotAllowed();
  if ((target.subresource === "log" && verb !== "get") || (binding && verb !== "create")) throw apiErrors.methodNotAllowed();
  return verb;
}

function listObjects(store: ObjectStore, type: ResourceType, namespace: string | undefined, query: URLSearchParams): Record<string, unknown> {
  // Only an exact-version list needs history; any other resourceVersion means "at least this new", which now always is.
  const resourceVersion = Number(query.get("resourceVersion") ?? "0");
  if (query.get("resourceVersionMatch") === "Exact" && resourceVersion < store.oldestResourceVersion()) throw apiErrors.listExpired();
  const matches = selectorFor(type, query);
  // Items of a typed list carry no kind or apiVersion; the list says them once.
  const items = store.list(typeKeyOf(type), namespace).filter(matches).map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item);
  return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(store.currentResourceVersion()) }, items };
}

function selectorFor(type: ResourceType, query: URLSearchParams): ObjectMatcher {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), ["metadata.name", "metadata.namespace", ...(type.fieldSelectors ?? [])]);
  return (object) => labels(object) && fields(object);
}

function deleteOptions({ body, query }: ResourceRequest): DeleteOptions {
  const options = (body.trim() ? parseJson(body) : {}) as DeleteOptions & { dryRun?: string[] | boolean };
  const grace = query.get("gracePeriodSeconds");
  return {
    gracePeriodSeconds: grace !== null ? Number(grace) : options.gracePeriodSeconds,
    propagationPolicy: (query.get("propagationPolicy") as DeleteOptions["propagationPolicy"]) ?? options.propagationPolicy,
    preconditions: options.preconditions,
    dryRun: query.get("dryRun") === "All" || (Array.isArray(options.dryRun) && options.dryRun.includes("All")),
  };
}

/** Create and update bodies arrive as JSON here; the server decodes YAML and protobuf into it first. */
function parseJson(body: string, contentType = "application/json"): unknown {
  if (contentType !== "application/json") throw apiErrors.unsupportedMediaType(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw apiErrors.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
  }
}
