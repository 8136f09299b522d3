import { PatchStrategy, setHeaderOptions, type V1Pod } from "@kubernetes/client-node";
import type { TSandboxSpec } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import type { OperatorLog } from "../shared/operator-log";
import type { Cluster } from "./cluster";
import { apiMessage, isAlreadyExists, isNotFound } from "./kube-errors";
import { accessUrlPatch, identitySecretName, identitySecretOf, sandboxIdOfPod, sandboxPodName, sandboxPodOf } from "./pod-manifest";
import { judgePod, type PodVerdict, pullFailing, type VerdictGraces } from "./pod-verdict";
import type { PodWatch } from "./pod-watch";
import { ensureIdentityAccount } from "./workload-identities";

const PROBLEM_LOG_LINES = 20;
const MAX_PROBLEM_CHARS = 4000;

export interface SandboxPodsOptions {
  hostId: string;
  /** The manifest's service account for sandboxes without a workload identity (no API access). */
  sandboxServiceAccount: string;
  graces: VerdictGraces;
  /** The longest `create` waits for its pod to run before giving the launch up. */
  createDeadlineMs: number;
  log: OperatorLog;
}

/**
 * The sandboxes in this host's namespace, one pod each (`dp-sbx-…`, pod-manifest.ts). `create`
 * answers once the pod runs, or fails fast with why it will not, in words a person can act on
 * (pod-verdict.ts), having removed the pod; nothing half-up is left behind. Only pods with this
 * host's labels are ever found, listed or removed.
 */
export class SandboxPods {
  /** Why the last create of a sandbox failed, for `inspect` of a sandbox whose pod is gone. */
  private readonly createFailures = new Map<string, string>();
  /** Per pod (by uid), when its image was first seen failing to pull: the pull grace runs from then. */
  private readonly pullFailingSince = new Map<string, number>();

  constructor(
    private readonly cluster: Cluster,
    private readonly pods: PodWatch,
    private readonly options: SandboxPodsOptions,
  ) {}

  async create(input: { sandboxId: string; spec: TSandboxSpec; accessUrl: string }): Promise<{ workloadId: string; fromWarmPool: boolean }> {
    const { sandboxId, spec, accessUrl } = input;
    const { namespace, core } = this.cluster;
    const name = sandboxPodName(sandboxId);
    let pod = await this.pods.get(name);
    // A pod left by an earlier create that did not come up is replaced; one running (a create sent again) keeps running with the new URL.
    if (pod && this.verdict(pod).state === "failed") {
      await this.removePod(name);
      // Its name is taken until it is gone (it has its grace period to stop); its Secret goes with it.
      await this.untilGone(name);
      pod = undefined;
    }
    if (!pod) {
      // The platform names an identity only while the host has Azure Workload Identity on.
      const identity = spec.kubernetes?.workloadIdentity ?? null;
      if (identity) await ensureIdentityAccount(this.cluster, this.options.hostId, identity);
      const manifest = sandboxPodOf({ namespace, hostId: this.options.hostId, sandboxId, spec, sandboxServiceAccount: this.options.sandboxServiceAccount });
      try {
        pod = await core.createNamespacedPod({ namespace, body: manifest });
      } catch (error) {
        if (!isAlreadyExists(error)) throw this.failed(sandboxId, "pod_refused", `the cluster refused the sandbox's pod: ${apiMessage(error)}`);
        pod = await core.readNamespacedPod({ name, namespace });
      }
    }
    await this.handIdentity(sandboxId, spec, accessUrl, pod);
    const verdict = await this.untilRunning(name);
    if (verdict.state === "running") {
      this.createFailures.delete(sandboxId);
      return { workloadId: name, fromWarmPool: false };
    }
    const problem = verdict.state === "failed" ? await this.withLogs(name, verdict) : `its pod did not start within ${Math.round(this.options.createDeadlineMs / 1000)} s${await this.stillWaitingOn(name)}`;
    await this.removePod(name).catch(() => undefined);
    throw this.failed(sandboxId, "pod_failed", problem);
  }

  /** Deletes the pod (its identity Secret goes with it, by owner reference); a running one gets its grace period to stop. */
  async destroy(sandboxId: string): Promise<{ removed: boolean; volumeRemoved: boolean }> {
    this.createFailures.delete(sandboxId);
    return { removed: await this.removePod(sandboxPodName(sandboxId)), volumeRemoved: false };
  }

  async inspect(sandboxId: string): Promise<{ state: "running" | "stopped" | "missing"; problem: string | null }> {
    const pod = await this.pods.get(sandboxPodName(sandboxId));
    if (!pod || pod.metadata?.deletionTimestamp) return { state: "missing", problem: this.createFailures.get(sandboxId) ?? null };
    const verdict = this.verdict(pod);
    // Still coming up counts as alive: the launch that made it is waiting on it.
    if (verdict.state !== "failed") return { state: "running", problem: null };
    return { state: "stopped", problem: await this.withLogs(pod.metadata!.name!, verdict) };
  }

  async list(): Promise<string[]> {
    return (await this.pods.list())
      .filter((pod) => !pod.metadata?.deletionTimestamp)
      .map(sandboxIdOfPod)
      .filter((id): id is string => id !== undefined)
      .sort();
  }

  /** Replaces the access URL in the pod's identity Secret; the sidecar reads it at its next connect. */
  async refreshAccess(sandboxId: string, accessUrl: string): Promise<void> {
    const pod = await this.pods.get(sandboxPodName(sandboxId));
    if (!pod) throw new CommandError("not_found", `sandbox ${sandboxId} has no pod on this host`);
    if (this.verdict(pod).state === "failed") throw new CommandError("not_running", `sandbox ${sandboxId} is not running`);
    await this.patchAccessUrl(sandboxId, accessUrl);
  }

  /**
   * Removes this host's sandboxes not in `keep` made more than `graceSeconds` ago (by the
   * cluster's clock); says which of `keep` are present. Pods the platform wants are never touched.
   */
  async sync(keep: string[], graceSeconds: number): Promise<{ present: string[]; removed: string[] }> {
    const wanted = new Set(keep);
    const present: string[] = [];
    const removed: string[] = [];
    const cutoff = Date.now() - graceSeconds * 1000;
    // From the API server, not the cache: a watch stuck unnoticed must not make a live pod look gone (or a gone one present).
    for (const pod of await this.pods.list({ fresh: true })) {
      const sandboxId = sandboxIdOfPod(pod);
      if (!sandboxId || pod.metadata?.deletionTimestamp) continue;
      const createdAt = pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp).getTime() : 0;
      if (wanted.has(sandboxId)) present.push(sandboxId);
      else if (createdAt < cutoff && (await this.destroy(sandboxId)).removed) removed.push(sandboxId);
    }
    return { present: present.sort(), removed: removed.sort() };
  }

  private verdict(pod: V1Pod): PodVerdict {
    const now = Date.now();
    const uid = pod.metadata?.uid ?? "";
    if (pullFailing(pod)) {
      if (!this.pullFailingSince.has(uid)) this.pullFailingSince.set(uid, now);
    } else this.pullFailingSince.delete(uid);
    const verdict = judgePod(pod, now, this.options.graces, this.pullFailingSince.get(uid));
    // Settled either way: nothing more to time for this pod.
    if (verdict.state !== "starting") this.pullFailingSince.delete(uid);
    return verdict;
  }

  /** Until the pod named `name` no longer exists (a replaced pod's grace period), or 30 s. */
  private async untilGone(name: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await this.pods.list({ fresh: true })).some((pod) => pod.metadata?.name === name)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The Secret the pod mounts, owned by it; made after the pod (it needs the pod's uid), which waits for it to appear. */
  private async handIdentity(sandboxId: string, spec: TSandboxSpec, accessUrl: string, pod: V1Pod): Promise<void> {
    const { namespace, core } = this.cluster;
    const body = identitySecretOf({ namespace, hostId: this.options.hostId, sandboxId, agent: spec.agent, accessUrl, pod: { name: pod.metadata!.name!, uid: pod.metadata!.uid! } });
    try {
      await core.createNamespacedSecret({ namespace, body });
    } catch (error) {
      if (!isAlreadyExists(error)) {
        await this.removePod(pod.metadata!.name!).catch(() => undefined);
        throw this.failed(sandboxId, "secret_refused", `the cluster refused the sandbox's identity Secret: ${apiMessage(error)}`);
      }
      // Left by an earlier pod of this sandbox and not yet collected: made this pod's (or collection would take it from under it), with the new URL.
      await core.patchNamespacedSecret(
        { name: identitySecretName(sandboxId), namespace, body: { metadata: { ownerReferences: body.metadata!.ownerReferences }, stringData: body.stringData } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
    }
  }

  private async patchAccessUrl(sandboxId: string, accessUrl: string): Promise<void> {
    const { namespace, core } = this.cluster;
    await core.patchNamespacedSecret({ name: identitySecretName(sandboxId), namespace, body: accessUrlPatch(accessUrl) }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
  }

  /** Until the pod runs, or will not (`failed`), or the create's deadline passes (`starting`). */
  private untilRunning(name: string): Promise<PodVerdict> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (verdict: PodVerdict) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearInterval(poll);
        unsubscribe();
        resolve(verdict);
      };
      const look = async () => {
        const pod = await this.pods.get(name).catch(() => undefined);
        if (settled) return;
        if (!pod) return finish({ state: "failed", problem: "its pod was deleted before it started" });
        const verdict = this.verdict(pod);
        if (verdict.state !== "starting") finish(verdict);
      };
      const unsubscribe = this.pods.onChange((pod) => {
        if (pod.metadata?.name === name) void look();
      });
      // Graces run out with no event to say so: look again now and then.
      const poll = setInterval(() => void look(), 1_000);
      const deadline = setTimeout(() => finish({ state: "starting" }), this.options.createDeadlineMs);
      void look();
    });
  }

  /** What a pod that is still not running waits on, for the person: " (ContainerCreating: …)", or nothing. */
  private async stillWaitingOn(name: string): Promise<string> {
    const pod = await this.pods.get(name).catch(() => undefined);
    const waiting = pod?.status?.containerStatuses?.find((candidate) => candidate.name === "sandbox")?.state?.waiting;
    if (waiting?.reason) return ` (still ${waiting.reason}${waiting.message ? `: ${waiting.message.slice(0, 300)}` : ""})`;
    const scheduled = pod?.status?.conditions?.find((condition) => condition.type === "PodScheduled");
    return scheduled?.status === "False" ? ` (not scheduled${scheduled.message ? `: ${scheduled.message.slice(0, 300)}` : ""})` : "";
  }

  /** The verdict's problem, with the container's last log lines when it exited. */
  private async withLogs(name: string, verdict: Extract<PodVerdict, { state: "failed" }>): Promise<string> {
    let problem = verdict.problem;
    if (verdict.exitCode !== undefined) {
      const { namespace, core } = this.cluster;
      const logs = await core.readNamespacedPodLog({ name, namespace, tailLines: PROBLEM_LOG_LINES }).catch(() => "");
      if (logs.trim()) problem = `${problem}: ${logs.trim()}`;
    }
    return problem.length > MAX_PROBLEM_CHARS ? `${problem.slice(0, MAX_PROBLEM_CHARS - 1)}…` : problem;
  }

  private async removePod(name: string): Promise<boolean> {
    try {
      await this.cluster.core.deleteNamespacedPod({ name, namespace: this.cluster.namespace, gracePeriodSeconds: 5 });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private failed(sandboxId: string, code: string, problem: string): CommandError {
    this.createFailures.set(sandboxId, problem);
    this.options.log.warn("sandbox pod failed", { sandboxId, problem });
    return new CommandError(code, problem);
  }
}
