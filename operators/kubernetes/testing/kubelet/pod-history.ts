import { type KubeConfig, type V1Pod, Watch } from "@kubernetes/client-node";

/**
 * For tests: every version of every pod in a namespace, as a watch delivers them, so a test can
 * ask whether a pod ever was in some state (ErrImagePull is shown for a moment only) and wait for
 * one without polling. Versions are raw JSON (times are strings).
 */
export class PodHistory {
  private readonly versions = new Map<string, V1Pod[]>();
  private readonly deleted = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(type: string, pod: V1Pod) => void>();
  private controller: AbortController | undefined;
  private stopped = false;

  private constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly namespace: string,
  ) {}

  static async start(kubeConfig: KubeConfig, namespace: string): Promise<PodHistory> {
    const history = new PodHistory(kubeConfig, namespace);
    await history.watch();
    return history;
  }

  of(name: string): V1Pod[] {
    return this.versions.get(name) ?? [];
  }

  /** The first version of `name` (already seen or yet to come) for which `test` holds. */
  waitFor(name: string, test: (pod: V1Pod) => boolean, what: string, timeoutMs = 20_000): Promise<V1Pod> {
    return this.until(() => this.of(name).find(test), `pod ${name}: ${what}`, timeoutMs);
  }

  waitForDeletion(name: string, timeoutMs = 20_000): Promise<true> {
    return this.until(() => (this.deleted.has(name) ? true : undefined), `pod ${name} to be deleted`, timeoutMs);
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }

  /** Calls `listener` with each watch event as it arrives (ADDED, MODIFIED, DELETED); returns the unsubscribe. */
  onEvent(listener: (type: string, pod: V1Pod) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Resolves with what `found` gives once it gives something (looked at after every event); rejects after `timeoutMs`, saying `what`. */
  until<T>(found: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(this.latestStatuses(), null, 1)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  private latestStatuses() {
    return Object.fromEntries([...this.versions].map(([name, versions]) => [name, versions.at(-1)?.status]));
  }

  private async watch(resourceVersion?: string): Promise<void> {
    let lastVersion = resourceVersion;
    this.controller = await new Watch(this.kubeConfig).watch(
      `/api/v1/namespaces/${this.namespace}/pods`,
      lastVersion ? { resourceVersion: lastVersion } : {},
      (type: string, pod: V1Pod) => {
        lastVersion = pod.metadata?.resourceVersion ?? lastVersion;
        const name = pod.metadata?.name ?? "";
        if (type === "DELETED") this.deleted.add(name);
        else if (type === "ADDED" || type === "MODIFIED") {
          this.deleted.delete(name);
          this.versions.set(name, [...this.of(name), pod]);
        }
        for (const listener of [...this.eventListeners]) listener(type, pod);
        for (const listener of [...this.listeners]) listener();
      },
      () => {
        if (!this.stopped) void this.watch(lastVersion);
      },
    );
  }
}
