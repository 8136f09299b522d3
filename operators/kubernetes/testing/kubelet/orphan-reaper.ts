import type { PodRuntime } from "./pod-runtime";
import type { PodVolumes } from "./pod-volumes";
import { identityOf } from "./kubelet-labels";

/**
 * Removes this node's containers and volume folders whose pod no longer exists (deleted for good,
 * force-deleted, or gone while no kubelet ran), as the kubelet's housekeeping does: the kubelet
 * finds its containers by their labels, so a restarted kubelet cleans up after its predecessor.
 * Containers and folders are listed before the pods are asked for, so a pod made in between is
 * never taken for gone. They are removed at once (SIGKILL): there is no pod left to read a grace from.
 * Resolves with the uids of the pods cleaned up.
 */
export async function removeOrphans(runtime: PodRuntime, volumes: PodVolumes, livePodUids: () => Set<string>): Promise<Set<string>> {
  const containers = await runtime.list();
  const folders = await volumes.podUidsOnDisk();
  const live = livePodUids();
  const removed = new Set<string>();
  for (const container of containers) {
    const identity = identityOf(container.Labels);
    if (!identity || live.has(identity.podUid)) continue;
    await runtime.remove(container.Id);
    removed.add(identity.podUid);
  }
  for (const uid of folders) {
    if (live.has(uid)) continue;
    await volumes.remove(uid);
    removed.add(uid);
  }
  return removed;
}
