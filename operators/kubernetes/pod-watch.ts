import { type Informer, makeInformer, type ObjectCache, type V1Pod } from "@kubernetes/client-node";
import { Backoff } from "../shared/backoff";
import type { OperatorLog } from "../shared/operator-log";
import type { Cluster } from "./cluster";
import { apiMessage, apiStatus } from "./kube-errors";

export interface PodWatchTiming {
  /** With no event for this long, the watch is assumed stuck (a half-open connection) and started again. */
  silenceMs: number;
  /** A full re-list this often whatever happens, so a missed event is never missed for long. */
  relistMs: number;
  /** Backoff after a failed list or watch: first delay and cap. */
  firstBackoffMs: number;
  maxBackoffMs: number;
}

// client-node's ListWatch asks for no bookmarks, so a quiet namespace is silent: silence is judged over the re-list's period.
export const DEFAULT_POD_WATCH_TIMING: PodWatchTiming = { silenceMs: 300_000, relistMs: 300_000, firstBackoffMs: 500, maxBackoffMs: 30_000 };

/**
 * This host's pods, as a supervised informer keeps them: list, then watch from the list's
 * resourceVersion (client-node's ListWatch, which lists again on 410 Gone). What a bare watch
 * lacks, the supervisor adds: a failed list or watch is started again with backoff; a watch
 * silent for `silenceMs` (a connection that died without a word) and every informer after
 * `relistMs` are replaced by a fresh one, which lists again. Readers get the informer's cache once
 * it has listed, the API's answer before; listeners hear of every change.
 */
export class PodWatch {
  private informer: (Informer<V1Pod> & ObjectCache<V1Pod>) | undefined;
  private synced = false;
  private readonly backoff: Backoff;
  private lastEventAt = Date.now();
  private startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly listeners = new Set<(pod: V1Pod) => void>();
  /** How many informers have been started (for tests and logs). */
  generation = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly selector: string,
    private readonly log: OperatorLog,
    private readonly timing: PodWatchTiming = DEFAULT_POD_WATCH_TIMING,
  ) {
    this.backoff = new Backoff({ initialMs: timing.firstBackoffMs, maxMs: timing.maxBackoffMs });
  }

  start(): void {
    this.stopped = false;
    this.restart("start");
    this.timer = setInterval(() => this.check(), Math.min(1_000, this.timing.silenceMs / 2));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.informer?.stop();
    this.informer = undefined;
  }

  /** Calls `listener` with every pod added, changed or deleted; returns the unsubscribe. */
  onChange(listener: (pod: V1Pod) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The pod named `name` as last seen; undefined only when the API server too says it does not
   * exist (a pod made a moment ago may not have reached the cache yet).
   */
  async get(name: string): Promise<V1Pod | undefined> {
    const cached = this.informer && this.synced ? this.informer.get(name, this.cluster.namespace) : undefined;
    if (cached) return cached;
    const { items } = await this.cluster.core.listNamespacedPod({ namespace: this.cluster.namespace, labelSelector: this.selector, fieldSelector: `metadata.name=${name}` });
    return items[0];
  }

  /** This host's pods: as the informer last saw them, or (`fresh`, or before it has listed) as the API server says now. */
  async list(options: { fresh?: boolean } = {}): Promise<V1Pod[]> {
    if (!options.fresh && this.informer && this.synced) return [...this.informer.list(this.cluster.namespace)];
    return (await this.cluster.core.listNamespacedPod({ namespace: this.cluster.namespace, labelSelector: this.selector })).items;
  }

  private check(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (now - this.lastEventAt > this.timing.silenceMs) this.restart("silence");
    else if (now - this.startedAt > this.timing.relistMs) this.restart("relist");
  }

  private restart(why: string): void {
    const previous = this.informer;
    this.informer = undefined;
    this.synced = false;
    void previous?.stop();
    if (this.stopped) return;
    const { core, namespace } = this.cluster;
    const informer = makeInformer<V1Pod>(this.cluster.config, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace, labelSelector: this.selector }), this.selector);
    this.informer = informer;
    this.generation += 1;
    this.startedAt = Date.now();
    this.lastEventAt = Date.now();
    const mine = () => this.informer === informer && !this.stopped;
    const changed = (pod: V1Pod) => {
      if (!mine()) return;
      this.lastEventAt = Date.now();
      this.backoff.reset();
      for (const listener of this.listeners) listener(pod);
    };
    informer.on("add", changed);
    informer.on("update", changed);
    informer.on("delete", changed);
    informer.on("connect", () => {
      if (mine()) this.lastEventAt = Date.now();
    });
    informer.on("error", (error: unknown) => {
      if (!mine()) return;
      this.synced = false;
      const delay = this.backoff.next();
      this.log.warn("pod watch failed; starting it again", { status: apiStatus(error), error: apiMessage(error), inMs: delay });
      setTimeout(() => {
        if (mine()) this.restart("error");
      }, delay).unref();
    });
    if (why !== "start") this.log.debug("pod watch restarted", { why, generation: this.generation });
    informer
      .start()
      .then(() => {
        if (!mine()) return;
        this.synced = true;
        this.lastEventAt = Date.now();
        // The list may have changed things while nobody watched (pods gone, states moved): everyone looks again.
        for (const pod of informer.list(namespace)) for (const listener of this.listeners) listener(pod);
      })
      .catch(() => undefined);
  }
}
