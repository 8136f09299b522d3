import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

/**
 * A pod's phase from its containers' statuses: the kubelet's getPhase, for regular init
 * containers and app containers (sidecar-style restartable init containers are not run here).
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kubelet_pods.go (getPhase)
 */
export function podPhase(pod: V1Pod, statuses: V1ContainerStatus[], initStatuses: V1ContainerStatus[], podIsTerminal: boolean): string {
  const restartPolicy = pod.spec?.restartPolicy ?? "Always";
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const container of pod.spec?.initContainers ?? []) {
    const status = initStatuses.find((candidate) => candidate.name === container.name);
    if (!status || status.state?.running) pendingInitialization++;
    else if (status.state?.terminated) failedInitialization += status.state.terminated.exitCode !== 0 ? 1 : 0;
    else if (status.lastState?.terminated) failedInitialization += status.lastState.terminated.exitCode !== 0 ? 1 : 0;
    else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of pod.spec?.containers ?? []) {
    const status = statuses.find((candidate) => candidate.name === container.name);
    if (!status) unknown++;
    else if (status.state?.running) running++;
    else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && restartPolicy === "Never") return "Failed";
  const anyRegularStarted = statuses.some((status) => status.state?.running || status.state?.terminated || status.lastState?.terminated);
  if ((pendingInitialization > 0 && !anyRegularStarted) || waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    return restartPolicy === "Never" ? "Failed" : "Running";
  }
  return "Pending";
}
