import type { CoreV1Api, V1Pod, V1PodStatus } from "@kubernetes/client-node";
import { apiStatus } from "./kube-objects";

const CONFLICT_RETRIES = 5;

/**
 * Writes pod status through the `pods/status` subresource, as the kubelet's status manager does:
 * only when it changed from what this writer last wrote (times aside), with the pod's
 * resourceVersion; on a conflict the pod is read again and the write repeated. A pod that is gone,
 * or was replaced by one of the same name, is left alone.
 */
export class StatusWriter {
  private readonly written = new Map<string, string>();

  constructor(private readonly core: CoreV1Api) {}

  async write(pod: V1Pod, status: V1PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? "";
    const fingerprint = fingerprintOf(status);
    if (this.written.get(uid) === fingerprint) return;
    const name = pod.metadata?.name ?? "";
    const namespace = pod.metadata?.namespace ?? "default";
    let current = pod;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.core.replaceNamespacedPodStatus({ name, namespace, body: { ...current, status } });
        this.written.set(uid, fingerprint);
        return;
      } catch (error) {
        const code = apiStatus(error);
        if (code === 404) return;
        if (code !== 409 || attempt >= CONFLICT_RETRIES) throw error;
      }
      current = await this.core.readNamespacedPod({ name, namespace });
      if (current.metadata?.uid !== uid) return;
    }
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/;

/**
 * The status to compare: without transition times (they move with the status they stamp), and
 * with other times to the second (the API keeps seconds; a time read back must equal the one sent).
 */
function fingerprintOf(status: V1PodStatus): string {
  return JSON.stringify(status, (key, value: unknown) => {
    if (key === "lastTransitionTime" || key === "lastProbeTime") return undefined;
    return typeof value === "string" ? value.replace(TIMESTAMP, "$1Z") : value;
  });
}
