import type { ServerResponse } from "node:http";
import { apiErrors } from "./api-errors";
import { typeKeyOf, type KubeObject, type ObjectStore, type StoredEvent } from "./object-store";
import { apiVersionOf, type ResourceType } from "./resource-catalog";
import type { ObjectMatcher } from "./selectors";

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  matches: ObjectMatcher;
  /** As sent: absent or "0" replays the current state as ADDED first; a number resumes after it. */
  resourceVersion?: string;
  allowBookmarks: boolean;
  /** `sendInitialEvents=true`: the current state first, closed by a bookmark marked initial-events-end. */
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
}

/**
 * Watch streams as the API server's watch cache serves them: chunked `application/json`, one
 * `{"type","object"}` per line. A selector's view of an object counts as the object: one that comes
 * to match is ADDED, one that stops matching is DELETED. A resourceVersion older than the kept
 * history gets a 200 whose only event is an ERROR carrying a 410 Expired Status, after which the
 * stream ends (client-go reflectors and client-node's ListWatch then re-list).
 */
export class WatchStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
  ) {}

  serve(request: WatchRequest, response: ServerResponse): void {
    const { store } = this;
    const typeKey = typeKeyOf(request.type);
    const visible = (object: KubeObject | undefined): object is KubeObject =>
      object !== undefined && (request.namespace === undefined || object.metadata.namespace === request.namespace) && request.matches(object);
    const send = (type: string, object: KubeObject | Record<string, unknown>) => response.write(`${JSON.stringify({ type, object })}\n`);
    const bookmark = (annotations?: Record<string, string>) =>
      send("BOOKMARK", { kind: request.type.kind, apiVersion: apiVersionOf(request.type), metadata: { resourceVersion: String(store.currentResourceVersion()), ...(annotations ? { annotations } : {}) } });

    const fromVersion = request.resourceVersion && request.resourceVersion !== "0" && !request.sendInitialEvents ? Number(request.resourceVersion) : undefined;
    if (fromVersion !== undefined && !Number.isInteger(fromVersion)) throw apiErrors.badRequest(`invalid resource version: ${request.resourceVersion}`);
    const replay = fromVersion === undefined ? undefined : store.eventsSince(typeKey, fromVersion);

    response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
    response.flushHeaders();
    if (replay === "expired") {
      send("ERROR", apiErrors.watchExpired(fromVersion!, store.oldestResourceVersion()).toStatus());
      response.end();
      return;
    }

    const deliver = (event: StoredEvent) => {
      if (event.typeKey !== typeKey) return;
      const now = event.type !== "DELETED" && visible(event.object);
      const before = event.type === "DELETED" ? visible(event.object) : event.type === "MODIFIED" && visible(event.previous);
      if (now) send(before ? "MODIFIED" : "ADDED", event.object);
      else if (before) {
        // Leaving the selector reads as a deletion of the object as it last matched, at this event's version.
        const last = structuredClone(event.previous ?? event.object);
        last.metadata.resourceVersion = String(event.resourceVersion);
        send("DELETED", last);
      }
    };
    if (replay) replay.forEach(deliver);
    else {
      for (const object of store.list(typeKey, request.namespace).filter(visible)) send("ADDED", { ...object, apiVersion: apiVersionOf(request.type), kind: request.type.kind });
      if (request.sendInitialEvents && request.allowBookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
    }

    const unsubscribe = store.subscribe(deliver);
    const bookmarks = request.allowBookmarks ? setInterval(() => bookmark(), this.bookmarkIntervalMs) : undefined;
    const timeout = request.timeoutSeconds ? setTimeout(() => response.end(), request.timeoutSeconds * 1000) : undefined;
    this.open.add(response);
    response.on("close", () => {
      unsubscribe();
      clearInterval(bookmarks);
      clearTimeout(timeout);
      this.open.delete(response);
    });
  }

  /** Cuts every open stream mid-flight, with no closing chunk, as a restarting server or a load balancer does. */
  dropAll(): void {
    for (const response of this.open) response.destroy();
  }
}
