import type { CoreV1Api, KubeConfig, V1Pod } from "@kubernetes/client-node";
import { type Informer, startInformer } from "./informer";

export type PodInformer = Informer<V1Pod>;

/**
 * Every pod in the cluster, through an informer (informer.ts). The kubelet and the scheduler
 * share it (a real kubelet watches `spec.nodeName=<node>` only).
 */
export function startPodInformer(
  kubeConfig: KubeConfig,
  core: CoreV1Api,
  handlers: { changed(pod: V1Pod): void; deleted(pod: V1Pod): void; error(error: unknown): void },
): Promise<PodInformer> {
  return startInformer(kubeConfig, { path: "/api/v1/pods", kind: "pods", list: () => core.listPodForAllNamespaces() }, handlers);
}
