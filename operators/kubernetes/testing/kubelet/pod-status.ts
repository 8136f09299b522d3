import type { V1Container, V1ContainerState, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from "@kubernetes/client-node";
import type { ObservedContainer } from "./pod-runtime";
import { podPhase } from "./pod-phase";
import { qosClassOf } from "./pod-resources";

/** The conditions the kubelet owns (any other a pod carries, such as DisruptionTarget, is kept as it is). */
const KUBELET_CONDITIONS = new Set(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);

export interface Waiting {
  reason: string;
  message?: string;
}

export interface PodStatusInput {
  pod: V1Pod;
  /** Every engine container of the pod, all attempts. */
  observed: ObservedContainer[];
  /** Why a container has no running attempt, from this sync (image, config, back-off). */
  waiting: Map<string, Waiting>;
  hostIp: string;
  startTime: Date;
  /** Its volumes are set up: the kubelet's "sandbox" exists. */
  readyToStart: boolean;
  /** Being deleted: its containers were stopped and will not be restarted. */
  podIsTerminal: boolean;
  now: Date;
}

/**
 * The status a kubelet writes for a pod on its node (generateAPIPodStatus): container statuses
 * with state, last state, restart count, image and ids; the phase; the kubelet's conditions,
 * keeping transition times that did not change; host-network addresses. A terminal phase, once
 * written, never changes back.
 */
export function podStatus(input: PodStatusInput): V1PodStatus {
  const { pod } = input;
  const previous = pod.status ?? {};
  const initStatuses = (pod.spec?.initContainers ?? []).map((container) => containerStatus(input, container, true, false));
  const initDone = initStatuses.every((status) => status.state?.terminated?.exitCode === 0);
  const statuses = (pod.spec?.containers ?? []).map((container) => containerStatus(input, container, false, !initDone));

  let phase = podPhase(pod, statuses, initStatuses, input.podIsTerminal);
  if (previous.phase === "Succeeded" || previous.phase === "Failed") phase = previous.phase;

  const conditions: V1PodCondition[] = (previous.conditions ?? []).filter((condition) => !KUBELET_CONDITIONS.has(condition.type));
  const condition = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition => {
    const status = ok ? "True" : "False";
    const before = previous.conditions?.find((existing) => existing.type === type);
    const lastTransitionTime = before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : input.now;
    return { type, status, lastTransitionTime, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  };
  const terminalReason = phase === "Succeeded" ? "PodCompleted" : phase === "Failed" ? "PodFailed" : undefined;
  const unready = statuses.filter((status) => !status.ready).map((status) => status.name);
  const incomplete = initStatuses.filter((status) => !status.ready).map((status) => status.name);
  // Ready and ContainersReady say the same here: there are no readiness gates or probes.
  const readiness = (type: string) =>
    terminalReason
      ? condition(type, false, terminalReason)
      : unready.length > 0
        ? condition(type, false, "ContainersNotReady", `containers with unready status: [${unready.join(" ")}]`)
        : condition(type, true);
  const initialized =
    phase === "Succeeded"
      ? condition("Initialized", true, "PodCompleted")
      : incomplete.length > 0 && !statuses.some(hasStarted)
        ? condition("Initialized", false, "ContainersNotInitialized", `containers with incomplete status: [${incomplete.join(" ")}]`)
        : condition("Initialized", true);
  conditions.push(condition("PodReadyToStartContainers", input.readyToStart && !input.podIsTerminal), initialized, readiness("Ready"), readiness("ContainersReady"), condition("PodScheduled", true));

  return {
    phase,
    conditions,
    hostIP: input.hostIp,
    hostIPs: [{ ip: input.hostIp }],
    // Host networking: a pod's address is its node's.
    podIP: input.hostIp,
    podIPs: [{ ip: input.hostIp }],
    startTime: previous.startTime ?? input.startTime,
    qosClass: qosClassOf(pod),
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    ...(phase === previous.phase && previous.reason ? { reason: previous.reason, message: previous.message } : {}),
  };
}

function containerStatus(input: PodStatusInput, container: V1Container, isInit: boolean, waitingForInit: boolean): V1ContainerStatus {
  const attempts = input.observed.filter((observed) => observed.identity.container === container.name).sort((a, b) => b.identity.attempt - a.identity.attempt);
  const latest = attempts[0];
  const previousEnd = attempts.find((attempt) => attempt !== latest && attempt.state.terminated)?.state.terminated;
  const override = input.waiting.get(container.name);

  let state: V1ContainerState;
  let lastState: V1ContainerState = previousEnd ? { terminated: previousEnd } : {};
  if (override) {
    state = { waiting: { reason: override.reason, ...(override.message ? { message: override.message } : {}) } };
    if (latest?.state.terminated) lastState = { terminated: latest.state.terminated };
  } else if (latest && !latest.state.waiting) {
    state = latest.state;
  } else {
    state = { waiting: { reason: waitingForInit ? "PodInitializing" : "ContainerCreating" } };
  }

  // A regular init container is ready once it completed; any other once it runs (no probes here).
  const ready = isInit ? state.terminated?.exitCode === 0 : !!state.running;
  return {
    name: container.name,
    state,
    lastState,
    ready,
    started: !!state.running,
    restartCount: latest?.identity.attempt ?? 0,
    image: container.image ?? "",
    imageID: latest?.imageId ?? "",
    ...(latest ? { containerID: `docker://${latest.id}` } : {}),
  };
}

const hasStarted = (status: V1ContainerStatus) => !!(status.state?.running || status.state?.terminated || status.lastState?.terminated);
