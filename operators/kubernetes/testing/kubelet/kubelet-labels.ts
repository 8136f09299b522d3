import { ownFilter, ownLabels } from "../../../docker/ownership";

/**
 * What the test kubelet writes on each engine container, so that the engine alone says which pod
 * and which attempt a container is (a restarted kubelet adopts its pods from these; nothing is kept
 * in memory that the engine cannot give back). The `io.kubernetes.*` keys are the ones dockershim
 * and cri-dockerd use; the Docker operator's ownership labels (host id) come first, so the test
 * engine's cleanup removes whatever a kubelet left behind.
 */
export const KUBELET_LABELS = {
  podName: "io.kubernetes.pod.name",
  podNamespace: "io.kubernetes.pod.namespace",
  podUid: "io.kubernetes.pod.uid",
  containerName: "io.kubernetes.container.name",
  /** The attempt: 0 for the first run of a container, then one more per restart (the restart count). */
  attempt: "io.kubernetes.container.restartCount",
  /** Which test node made it: two kubelets on one engine never touch each other's containers. */
  node: "io.discoparrot.test-kubelet.node",
} as const;

export interface ContainerIdentity {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  attempt: number;
}

export function kubeletContainerLabels(hostId: string, nodeName: string, identity: ContainerIdentity): Record<string, string> {
  return ownLabels(hostId, {
    [KUBELET_LABELS.node]: nodeName,
    [KUBELET_LABELS.podName]: identity.pod,
    [KUBELET_LABELS.podNamespace]: identity.namespace,
    [KUBELET_LABELS.podUid]: identity.podUid,
    [KUBELET_LABELS.containerName]: identity.container,
    [KUBELET_LABELS.attempt]: String(identity.attempt),
  });
}

/** A `filters` value listing this node's containers (optionally only one pod's). */
export function nodeContainersFilter(hostId: string, nodeName: string, podUid?: string): { label: string[] } {
  return ownFilter(hostId, [`${KUBELET_LABELS.node}=${nodeName}`, ...(podUid ? [`${KUBELET_LABELS.podUid}=${podUid}`] : [])]);
}

/** The pod and attempt a container's labels name, if they are a kubelet's labels. */
export function identityOf(labels: Record<string, string> | undefined): ContainerIdentity | undefined {
  const podUid = labels?.[KUBELET_LABELS.podUid];
  const container = labels?.[KUBELET_LABELS.containerName];
  if (!labels || !podUid || !container) return undefined;
  return {
    namespace: labels[KUBELET_LABELS.podNamespace] ?? "",
    pod: labels[KUBELET_LABELS.podName] ?? "",
    podUid,
    container,
    attempt: Number(labels[KUBELET_LABELS.attempt] ?? 0),
  };
}

/** dockershim's container name: `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` (unique per attempt). */
export const engineContainerName = (identity: ContainerIdentity) =>
  `k8s_${identity.container}_${identity.pod}_${identity.namespace}_${identity.podUid}_${identity.attempt}`;
