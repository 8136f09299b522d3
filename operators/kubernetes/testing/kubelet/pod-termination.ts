import type { CoreV1Api, V1Pod } from "@kubernetes/client-node";
import type { OperatorLog } from "../../../shared/operator-log";
import { apiStatus } from "./kube-objects";
import type { PodRuntime } from "./pod-runtime";
import type { PodSync } from "./pod-sync";
import type { PodVolumes } from "./pod-volumes";

const DEFAULT_GRACE_SECONDS = 30;

/**
 * A pod's graceful deletion, the kubelet's half: once the API server has set
 * `metadata.deletionTimestamp`, stop its containers (SIGTERM, SIGKILL after the grace period the
 * deletion carries), write its final status, remove its containers and volumes, then delete the
 * object for good (`gracePeriodSeconds: 0`, on its uid, so a new pod of the same name is safe).
 */
export class PodTermination {
  constructor(
    private readonly context: { core: CoreV1Api; runtime: PodRuntime; volumes: PodVolumes; podSync: PodSync; log: OperatorLog },
  ) {}

  async terminate(pod: V1Pod): Promise<void> {
    const uid = pod.metadata!.uid!;
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    const { runtime } = this.context;
    const live = (await runtime.podContainers(uid)).filter((container) => !container.state.terminated);
    await Promise.all(live.map((container) => runtime.stop(container.id, grace)));

    // The final status is for whoever watches the pod go; failing to write it must not keep the pod.
    await this.context.podSync.writeFinalStatus(pod).catch((error: unknown) => this.context.log.warn("final pod status not written", { pod: pod.metadata?.name, error: String(error) }));
    for (const container of await runtime.list(uid)) await runtime.remove(container.Id);
    await this.context.volumes.remove(uid);
    this.context.podSync.forget(uid);
    await deleteForGood(this.context.core, pod);
  }
}

/** DELETE with grace 0 and the pod's uid as a precondition; gone already (404) or replaced (409) is fine. */
export async function deleteForGood(core: CoreV1Api, pod: V1Pod): Promise<void> {
  try {
    await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace ?? "default", gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid } } });
  } catch (error) {
    const status = apiStatus(error);
    if (status !== 404 && status !== 409) throw error;
  }
}
