/**
 * The cluster's state, as etcd holds it behind a real API server: objects per resource type, one
 * global, monotonically increasing resourceVersion stamped on every write, and a bounded history of
 * changes that watches resume from. Everything handed out is a copy, so no caller can change what is
 * stored behind the store's back (or an earlier event).
 */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ uid: string; name: string; kind: string; apiVersion: string }>;
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoredEvent {
  type: WatchEventType;
  /** The resource type, as `<group>/<resource>` (`/pods`, `apps/deployments`). */
  typeKey: string;
  resourceVersion: number;
  object: KubeObject;
  /** The object before this change, so a filtered watch can tell an object leaving its selector. */
  previous?: KubeObject;
}

/** How many changes a watch can resume across before the oldest are forgotten, as etcd compacts. */
const HISTORY_LIMIT = 10_000;

export class ObjectStore {
  private readonly byType = new Map<string, Map<string, KubeObject>>();
  private history: StoredEvent[] = [];
  private revision = 1;
  /** Watches from before this resourceVersion cannot resume: their history is gone. */
  private oldestResumable = 1;
  private readonly listeners = new Set<(event: StoredEvent) => void>();

  currentResourceVersion(): number {
    return this.revision;
  }

  get(typeKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.byType.get(typeKey)?.get(objectKey(namespace, name));
    return found && structuredClone(found);
  }

  /** In etcd key order (namespace, then name), as a real list comes back. */
  list(typeKey: string, namespace?: string): KubeObject[] {
    const all = [...(this.byType.get(typeKey)?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, object]) => object);
    return all.filter((object) => namespace === undefined || object.metadata.namespace === namespace).map((object) => structuredClone(object));
  }

  /** Every stored object, with its type key (for garbage collection and namespace deletion). */
  *entries(): Generator<[string, KubeObject]> {
    for (const [typeKey, objects] of this.byType) for (const object of objects.values()) yield [typeKey, structuredClone(object)];
  }

  create(typeKey: string, object: KubeObject): KubeObject {
    return this.write(typeKey, "ADDED", object);
  }

  update(typeKey: string, object: KubeObject): KubeObject {
    return this.write(typeKey, "MODIFIED", object);
  }

  remove(typeKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const objects = this.byType.get(typeKey);
    const key = objectKey(namespace, name);
    const previous = objects?.get(key);
    if (!objects || !previous) return undefined;
    objects.delete(key);
    // A DELETED event carries the object at the deletion's own resourceVersion, as etcd's watch does.
    const object = structuredClone(previous);
    object.metadata.resourceVersion = String(++this.revision);
    this.record({ type: "DELETED", typeKey, resourceVersion: this.revision, object, previous });
    return structuredClone(object);
  }

  /**
   * The changes to one type after `resourceVersion`, or "expired" when some of them were already
   * forgotten. A resourceVersion at or past the newest one has nothing to replay.
   */
  eventsSince(typeKey: string, resourceVersion: number): StoredEvent[] | "expired" {
    if (resourceVersion < this.oldestResumable - 1) return "expired";
    return this.history.filter((event) => event.typeKey === typeKey && event.resourceVersion > resourceVersion).map((event) => structuredClone(event));
  }

  /** The oldest resourceVersion a watch may still start from (what "too old resource version" names). */
  oldestResourceVersion(): number {
    return this.oldestResumable - 1;
  }

  /** Forgets all history, as etcd compaction does: only watches from now on can resume. */
  compact(): void {
    this.history = [];
    this.oldestResumable = this.revision + 1;
  }

  /** Called synchronously on every change, after it is stored. */
  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(typeKey: string, type: WatchEventType, input: KubeObject): KubeObject {
    let objects = this.byType.get(typeKey);
    if (!objects) this.byType.set(typeKey, (objects = new Map()));
    const key = objectKey(input.metadata.namespace, input.metadata.name ?? "");
    const previous = objects.get(key);
    const object = structuredClone(input);
    object.metadata.resourceVersion = String(++this.revision);
    objects.set(key, object);
    this.record({ type, typeKey, resourceVersion: this.revision, object: structuredClone(object), previous });
    return structuredClone(object);
  }

  private record(event: StoredEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.oldestResumable = (dropped.at(-1)?.resourceVersion ?? 0) + 1;
    }
    for (const listener of this.listeners) listener(event);
  }
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

export function typeKeyOf(type: { group: string; resource: string }): string {
  return `${type.group}/${type.resource}`;
}
