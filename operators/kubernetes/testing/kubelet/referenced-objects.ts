import type { CoreV1Api, KubeConfig, KubernetesObject, V1Pod } from "@kubernetes/client-node";
import { type Informer, startInformer } from "./informer";

export type ReferencedKind = "secret" | "configMap";

/**
 * Informers on every Secret and ConfigMap, so a pod that mounts or reads one is synced again as
 * soon as it is made, changed or deleted: its volumes are then projected anew (pod-volumes.ts),
 * and a pod waiting for a Secret that did not exist yet starts. A real kubelet watches just the
 * objects its pods name and picks changes up at its next pod sync (within a minute or so); here
 * it happens within one watch event. Its reads still go to the API (kube-objects.ts), which is
 * never behind a watch event.
 */
export async function watchReferencedObjects(
  kubeConfig: KubeConfig,
  core: CoreV1Api,
  handlers: { changed(kind: ReferencedKind, namespace: string, name: string): void; error(error: unknown): void },
): Promise<{ stop(): Promise<void> }> {
  const forward = (kind: ReferencedKind) => {
    const changed = (object: KubernetesObject) => handlers.changed(kind, object.metadata?.namespace ?? "", object.metadata?.name ?? "");
    return { changed, deleted: changed, error: handlers.error };
  };
  const informers: Informer<KubernetesObject>[] = [];
  try {
    informers.push(await startInformer(kubeConfig, { path: "/api/v1/secrets", kind: "secrets", list: () => core.listSecretForAllNamespaces() }, forward("secret")));
    informers.push(await startInformer(kubeConfig, { path: "/api/v1/configmaps", kind: "configmaps", list: () => core.listConfigMapForAllNamespaces() }, forward("configMap")));
  } catch (error) {
    await Promise.all(informers.map((informer) => informer.stop()));
    throw error;
  }
  return { stop: async () => void (await Promise.all(informers.map((informer) => informer.stop()))) };
}

/** Whether `pod` names the Secret or ConfigMap in a volume (projected ones too), an env var or envFrom. */
export function podRefersTo(pod: V1Pod, kind: ReferencedKind, name: string): boolean {
  const names = new Set<string | undefined>();
  for (const volume of pod.spec?.volumes ?? []) {
    if (kind === "secret") names.add(volume.secret?.secretName);
    else names.add(volume.configMap?.name);
    for (const source of volume.projected?.sources ?? []) names.add(kind === "secret" ? source.secret?.name : source.configMap?.name);
  }
  for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const env of container.env ?? []) names.add(kind === "secret" ? env.valueFrom?.secretKeyRef?.name : env.valueFrom?.configMapKeyRef?.name);
    for (const from of container.envFrom ?? []) names.add(kind === "secret" ? from.secretRef?.name : from.configMapRef?.name);
  }
  return names.has(name);
}
