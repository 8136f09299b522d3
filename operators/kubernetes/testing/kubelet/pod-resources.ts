import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { bytesOf, milliCpuOf } from "./quantity";

export interface ResourceAmounts {
  milliCpu: number;
  memoryBytes: number;
}

/**
 * One container's requests as the scheduler counts them: `requests`, or `limits` where a request
 * is not given (the API server's defaulting copies limits into missing requests; done here too, so
 * a pod that skipped that defaulting is counted the same).
 */
function containerRequests(container: V1Container): ResourceAmounts {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpu = requests.cpu ?? limits.cpu;
  const memory = requests.memory ?? limits.memory;
  return { milliCpu: cpu ? milliCpuOf(cpu) : 0, memoryBytes: memory ? bytesOf(memory) : 0 };
}

/**
 * A pod's effective request: the sum over its containers, or the largest init container's when
 * that is more (init containers run one at a time, before the others).
 * https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 */
export function podRequests(pod: V1Pod): ResourceAmounts {
  const sum = (pod.spec?.containers ?? []).map(containerRequests).reduce(addAmounts, { milliCpu: 0, memoryBytes: 0 });
  for (const init of (pod.spec?.initContainers ?? []).map(containerRequests)) {
    sum.milliCpu = Math.max(sum.milliCpu, init.milliCpu);
    sum.memoryBytes = Math.max(sum.memoryBytes, init.memoryBytes);
  }
  return sum;
}

export const addAmounts = (a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts => ({ milliCpu: a.milliCpu + b.milliCpu, memoryBytes: a.memoryBytes + b.memoryBytes });

/** Guaranteed when every container limits cpu and memory with requests equal to them; Burstable when anything is set. */
export function qosClassOf(pod: V1Pod): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const guaranteed = containers.every((container) =>
    ["cpu", "memory"].every((name) => {
      const limit = container.resources?.limits?.[name];
      const request = container.resources?.requests?.[name] ?? limit;
      return limit !== undefined && request === limit;
    }),
  );
  if (guaranteed) return "Guaranteed";
  const anySet = containers.some((container) => Object.keys({ ...container.resources?.limits, ...container.resources?.requests }).length > 0);
  return anySet ? "Burstable" : "BestEffort";
}
