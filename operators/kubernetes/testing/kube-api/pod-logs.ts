import { apiErrors } from "./api-errors";
import type { KubeObject } from "./object-store";

export type PodLogSource = (namespace: string, pod: string, container: string | undefined, options: { tailLines?: number }) => Promise<string>;

/**
 * `pods/<name>/log`: the kubelet's answer, here whatever the registered source returns. The
 * container must be named when the pod has several, as the real endpoint insists.
 */
export async function readPodLog(pod: KubeObject, query: URLSearchParams, source: PodLogSource | undefined): Promise<string> {
  const name = pod.metadata.name ?? "";
  const containers = ((pod.spec as { containers?: Array<{ name: string }> } | undefined)?.containers ?? []).map((container) => container.name);
  const requested = query.get("container") ?? undefined;
  if (requested === undefined && containers.length > 1) throw apiErrors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`);
  if (requested !== undefined && !containers.includes(requested)) throw apiErrors.badRequest(`container ${requested} is not valid for pod ${name}`);
  const tailLines = query.has("tailLines") ? Number(query.get("tailLines")) : undefined;
  return source ? source(pod.metadata.namespace ?? "", name, requested ?? containers[0], { tailLines }) : "";
}
