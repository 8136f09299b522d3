import { type CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod, type V1PodCondition, type V1PodStatus } from "@kubernetes/client-node";
import { apiStatus } from "./kube-objects";
import { kubeTime } from "./kube-time";
import { addAmounts, podRequests, type ResourceAmounts } from "./pod-resources";
import type { StatusWriter } from "./status-writer";

const TERMINAL = new Set(["Succeeded", "Failed"]);

/**
 * A one-node scheduler: a pod with no `spec.nodeName` (and the default scheduler's name) is bound
 * to this node when its requests fit what the node's capacity leaves after the non-terminal pods
 * already on it, and its nodeSelector matches the node's labels. Otherwise it gets the scheduler's
 * `PodScheduled=False, Unschedulable` condition with the scheduler's message, and is tried again
 * when a pod on the node changes or goes. One pod is placed at a time; a pod just bound counts
 * until the cache shows it bound ("assumed", as kube-scheduler says).
 */
export class Scheduler {
  private readonly assumed = new Map<string, ResourceAmounts>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly core: CoreV1Api,
    private readonly node: { name: string; labels: Record<string, string>; capacity: ResourceAmounts },
    private readonly pods: () => readonly V1Pod[],
    private readonly statusWriter: StatusWriter,
  ) {}

  schedule(pod: V1Pod): Promise<void> {
    const turn = this.queue.then(() => this.place(pod));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async place(pod: V1Pod): Promise<void> {
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return;
    if ((pod.spec?.schedulerName ?? "default-scheduler") !== "default-scheduler") return;
    const reasons = this.unfit(pod);
    if (reasons.length === 0) return this.bind(pod);
    await this.statusWriter.write(pod, unschedulableStatus(pod, reasons));
  }

  /** Why the pod does not fit this node, in the scheduler's words (empty when it fits). */
  private unfit(pod: V1Pod): string[] {
    const selector = pod.spec?.nodeSelector ?? {};
    if (Object.entries(selector).some(([key, value]) => this.node.labels[key] !== value)) return ["node(s) didn't match Pod's node affinity/selector"];
    const wanted = podRequests(pod);
    const used = this.usedBy(pod.metadata?.uid ?? "");
    const reasons: string[] = [];
    if (used.milliCpu + wanted.milliCpu > this.node.capacity.milliCpu) reasons.push("Insufficient cpu");
    if (used.memoryBytes + wanted.memoryBytes > this.node.capacity.memoryBytes) reasons.push("Insufficient memory");
    return reasons;
  }

  private usedBy(exceptUid: string): ResourceAmounts {
    let used: ResourceAmounts = { milliCpu: 0, memoryBytes: 0 };
    const seen = new Set<string>();
    for (const pod of this.pods()) {
      const uid = pod.metadata?.uid ?? "";
      seen.add(uid);
      if (uid === exceptUid) continue;
      if (pod.spec?.nodeName === this.node.name) {
        this.assumed.delete(uid);
        if (!TERMINAL.has(pod.status?.phase ?? "")) used = addAmounts(used, podRequests(pod));
      } else if (this.assumed.has(uid)) used = addAmounts(used, this.assumed.get(uid)!);
    }
    for (const uid of this.assumed.keys()) if (!seen.has(uid)) this.assumed.delete(uid);
    return used;
  }

  /**
   * The `pods/binding` subresource, as kube-scheduler binds; an API server without it gets a merge
   * patch of `spec.nodeName` instead. 409: bound already (by an earlier try), which is fine.
   */
  private async bind(pod: V1Pod): Promise<void> {
    const name = pod.metadata?.name ?? "";
    const namespace = pod.metadata?.namespace ?? "default";
    this.assumed.set(pod.metadata?.uid ?? "", podRequests(pod));
    try {
      await this.core.createNamespacedPodBinding({
        name,
        namespace,
        body: { apiVersion: "v1", kind: "Binding", metadata: { name, namespace, uid: pod.metadata?.uid }, target: { apiVersion: "v1", kind: "Node", name: this.node.name } },
      });
      return;
    } catch (error) {
      const status = apiStatus(error);
      if (status === 409) return;
      if (status !== 404 && status !== 405) throw error;
    }
    try {
      await this.core.patchNamespacedPod({ name, namespace, body: { spec: { nodeName: this.node.name } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    } catch (error) {
      this.assumed.delete(pod.metadata?.uid ?? "");
      if (apiStatus(error) !== 404) throw error;
    }
  }
}

/**
 * The scheduler's condition for a pod no node can take, e.g. `0/1 nodes are available: 1
 * Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for
 * incoming pod.` (preemption cannot help when even an empty node is too small, or the node does
 * not match at all).
 */
function unschedulableStatus(pod: V1Pod, reasons: string[]): V1PodStatus {
  const previous = pod.status ?? {};
  const before = previous.conditions?.find((condition) => condition.type === "PodScheduled");
  const selectorMismatch = reasons[0]?.startsWith("node(s)");
  const preemption = selectorMismatch ? "1 Preemption is not helpful for scheduling." : "1 No preemption victims found for incoming pod.";
  const condition: V1PodCondition = {
    type: "PodScheduled",
    status: "False",
    reason: "Unschedulable",
    message: `0/1 nodes are available: ${reasons.map((reason) => `1 ${reason}`).join(", ")}. preemption: 0/1 nodes are available: ${preemption}`,
    lastTransitionTime: before?.status === "False" && before.lastTransitionTime ? before.lastTransitionTime : kubeTime(),
  };
  return { ...previous, phase: "Pending", conditions: [...(previous.conditions ?? []).filter((existing) => existing.type !== "PodScheduled"), condition] };
}
