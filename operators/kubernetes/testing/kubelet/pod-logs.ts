import type { PodInformer } from "./pod-informer";
import type { PodRuntime } from "./pod-runtime";

/** What `pods/<name>/log` asks the node for (the test API server's setPodLogSource takes this). */
export type PodLogSource = (namespace: string, pod: string, container: string | undefined, options: { tailLines?: number }) => Promise<string>;

/**
 * The kubelet's log endpoint: the output of the latest attempt of a pod's container, stdout and
 * stderr as one stream, optionally only its last lines. A container with no attempt yet gives
 * the kubelet's refusal ("is waiting to start: <reason>").
 */
export function podLogSource(pods: PodInformer, runtime: PodRuntime): PodLogSource {
  return async (namespace, name, containerName, { tailLines }) => {
    const pod = pods.get(namespace, name);
    if (!pod) throw new Error(`pods ${JSON.stringify(name)} not found`);
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((container) => container.name);
    const container = containerName ?? (pod.spec?.containers?.length === 1 ? pod.spec.containers[0]!.name : undefined);
    if (!container) throw new Error(`a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`);
    await runtime.list(pod.metadata?.uid);
    const id = runtime.latestContainerId(pod.metadata?.uid ?? "", container);
    if (!id) {
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      const reason = statuses.find((status) => status.name === container)?.state?.waiting?.reason ?? "ContainerCreating";
      throw new Error(`container ${JSON.stringify(container)} in pod ${JSON.stringify(name)} is waiting to start: ${reason}`);
    }
    return runtime.logs(id, tailLines);
  };
}
