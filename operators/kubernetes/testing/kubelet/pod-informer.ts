import { type CoreV1Api, type KubeConfig, ListWatch, type V1Pod, Watch } from "@kubernetes/client-node";

const RESTART_AFTER_ERROR_MS = 250;
const FIRST_SYNC_DEADLINE_MS = 15_000;

export interface PodInformer {
  get(namespace: string, name: string): V1Pod | undefined;
  list(): readonly V1Pod[];
  stop(): Promise<void>;
}

/**
 * Every pod in the cluster through client-node's informer (list, then watch from the list's
 * resourceVersion; a watch the server ends is resumed from the last event, a 410 Gone relists).
 * The informer stops on any other error; it is started again here. Resolves once the first list
 * is in the cache, so nothing acts on an empty cache that only looks like "no pods".
 * The kubelet and the scheduler share it (a real kubelet watches `spec.nodeName=<node>` only).
 */
export async function startPodInformer(
  kubeConfig: KubeConfig,
  core: CoreV1Api,
  handlers: { changed(pod: V1Pod): void; deleted(pod: V1Pod): void; error(error: unknown): void },
): Promise<PodInformer> {
  const informer = new ListWatch<V1Pod>("/api/v1/pods", new Watch(kubeConfig), () => core.listPodForAllNamespaces(), false);
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
      throw new Error(`test kubelet: could not list pods within ${FIRST_SYNC_DEADLINE_MS / 1000} s`);
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
