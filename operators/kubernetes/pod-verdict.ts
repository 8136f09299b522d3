import type { V1Pod } from "@kubernetes/client-node";

export interface VerdictGraces {
  /** How long an image may keep failing to pull before the launch is given up (a registry blip recovers within it). */
  imagePullMs: number;
  /** How long a pod may wait for a node before the launch is given up (a cluster autoscaler may add one within it). */
  unschedulableMs: number;
}

/**
 * What a sandbox pod's status means for the person waiting on it:
 *  - `starting`: still coming up, nothing wrong yet (or not wrong for long enough);
 *  - `running`: its container runs;
 *  - `failed`: it will not come up, or it stopped; `problem` says why in words a person can act
 *    on, `exitCode` is set when its container exited (the caller adds the last log lines).
 */
export type PodVerdict = { state: "starting" } | { state: "running" } | { state: "failed"; problem: string; exitCode?: number };

/** Reasons a container waits that will not resolve by waiting (kubelet's own reason strings). */
const CONFIG_ERRORS: Record<string, string> = {
  CreateContainerConfigError: "its container's configuration is invalid",
  CreateContainerError: "its container could not be created",
  RunContainerError: "its container could not be started",
  PreCreateHookError: "its container could not be prepared",
  PostStartHookError: "its container failed its start hook",
};
const PULL_ERRORS = new Set(["ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "RegistryUnavailable"]);

/** The container a sandbox pod runs its sidecar in; others (a service mesh's, injected) are not the sandbox. */
export const SANDBOX_CONTAINER = "sandbox";

/** Whether the pod's sandbox container is waiting on an image that will not pull (for the caller to note when that began). */
export function pullFailing(pod: V1Pod): boolean {
  const reason = pod.status?.containerStatuses?.find((candidate) => candidate.name === SANDBOX_CONTAINER)?.state?.waiting?.reason;
  return reason !== undefined && PULL_ERRORS.has(reason);
}

/** `pullFailingSince`: when the caller first saw the image failing to pull (the kubelet keeps no such time); the pod's creation otherwise. */
export function judgePod(pod: V1Pod, now: number, graces: VerdictGraces, pullFailingSince?: number): PodVerdict {
  const status = pod.status ?? {};
  const spec = pod.spec?.containers.find((candidate) => candidate.name === SANDBOX_CONTAINER) ?? pod.spec?.containers[0];
  const image = spec?.image ?? "the image";
  const container = status.containerStatuses?.find((candidate) => candidate.name === SANDBOX_CONTAINER) ?? status.containerStatuses?.[0];

  const terminated = container?.state?.terminated;
  if (terminated) {
    if (terminated.reason === "OOMKilled") {
      const limit = spec?.resources?.limits?.memory;
      return { state: "failed", problem: `it ran out of memory${limit ? ` (its limit is ${limit})` : ""} and was killed (OOMKilled); choose a larger resource class`, exitCode: terminated.exitCode };
    }
    return { state: "failed", problem: `its container exited with code ${terminated.exitCode}${terminated.reason && terminated.reason !== "Error" && terminated.reason !== "Completed" ? ` (${terminated.reason})` : ""}`, exitCode: terminated.exitCode };
  }
  if (status.phase === "Failed" || status.phase === "Succeeded") {
    return { state: "failed", problem: `the pod ${status.phase === "Failed" ? "failed" : "ended"}${status.reason ? ` (${status.reason}${status.message ? `: ${status.message}` : ""})` : ""}` };
  }
  if (container?.state?.running) return { state: "running" };

  const waiting = container?.state?.waiting;
  if (waiting?.reason === "InvalidImageName") return { state: "failed", problem: `the image name ${image} is not valid${detail(waiting.message)}` };
  if (waiting?.reason && CONFIG_ERRORS[waiting.reason]) return { state: "failed", problem: `${CONFIG_ERRORS[waiting.reason]}${detail(waiting.message)}` };
  if (waiting?.reason && PULL_ERRORS.has(waiting.reason) && now - (pullFailingSince ?? createdAt(pod, now)) >= graces.imagePullMs) {
    return { state: "failed", problem: `the image ${image} could not be pulled for ${Math.round(graces.imagePullMs / 1000)} s (${waiting.reason}${detail(waiting.message)}); check its name and tag, and that the cluster's nodes can reach its registry` };
  }

  const scheduled = status.conditions?.find((condition) => condition.type === "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
    const since = Date.parse(String(scheduled.lastTransitionTime ?? pod.metadata?.creationTimestamp ?? now));
    if (now - since >= graces.unschedulableMs) {
      return { state: "failed", problem: `no node in the cluster could take it for ${Math.round(graces.unschedulableMs / 1000)} s${detail(scheduled.message)}; free capacity or choose a smaller resource class` };
    }
  }
  return { state: "starting" };
}

function createdAt(pod: V1Pod, now: number): number {
  const created = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  return created ? new Date(created).getTime() : now;
}

/** ": <the cluster's own words>", cut to a readable length; nothing when it gave none. */
function detail(message: string | undefined): string {
  if (!message) return "";
  return `: ${message.length > 500 ? `${message.slice(0, 499)}…` : message}`;
}
