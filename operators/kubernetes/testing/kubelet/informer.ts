import { type KubeConfig, type KubernetesObject, ListWatch, Watch } from "@kubernetes/client-node";

const RESTART_AFTER_ERROR_MS = 250;
const FIRST_SYNC_DEADLINE_MS = 15_000;

export interface Informer<T> {
  get(namespace: string, name: string): T | undefined;
  list(): readonly T[];
  stop(): Promise<void>;
}

/**
 * client-node's informer over every object at `path` (list, then watch from the list's
 * resourceVersion; a watch the server ends is resumed from the last event, a 410 Gone relists).
 * The informer stops on any other error; it is started again here. Resolves once the first list
 * is in the cache, so nothing acts on an empty cache that only looks like "there are none".
 */
export async function startInformer<T extends KubernetesObject>(
  kubeConfig: KubeConfig,
  what: { path: string; kind: string; list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }> },
  handlers: { changed(object: T): void; deleted(object: T): void; error(error: unknown): void },
): Promise<Informer<T>> {
  const informer = new ListWatch<T>(what.path, new Watch(kubeConfig), what.list, false);
  let stopped = false;
  let restart: NodeJS.Timeout | undefined;
  informer.on("add", handlers.changed);
  informer.on("update", handlers.changed);
  informer.on("delete", handlers.deleted);
  informer.on("error", (error: unknown) => {
    if (stopped) return;
    handlers.error(error);
    clearTimeout(restart);
    restart = setTimeout(() => void informer.start().catch(handlers.error), RESTART_AFTER_ERROR_MS);
  });

  await informer.start();
  const deadline = Date.now() + FIRST_SYNC_DEADLINE_MS;
  while (informer.latestResourceVersion() === "") {
    if (Date.now() > deadline) {
      stopped = true;
      clearTimeout(restart);
      await informer.stop();
      throw new Error(`test kubelet: could not list ${what.kind} within ${FIRST_SYNC_DEADLINE_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  return {
    get: (namespace, name) => informer.get(name, namespace),
    list: () => informer.list(),
    async stop() {
      stopped = true;
      clearTimeout(restart);
      await informer.stop();
    },
  };
}
