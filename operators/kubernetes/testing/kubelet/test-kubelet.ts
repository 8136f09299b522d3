import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import type { EngineContext } from "../../../docker/start-container";
import { createOperatorLog, type OperatorLog } from "../../../shared/operator-log";
import { ImagePulls } from "./image-pulls";
import { type ApiServerAccess, kubeClientFor } from "./kube-client";
import { podObjectsFrom } from "./kube-objects";
import { KeyedQueue } from "./keyed-queue";
import { removeOrphans } from "./orphan-reaper";
import { startPodInformer, type PodInformer } from "./pod-informer";
import { ContainerRelist } from "./pod-lifecycle-events";
import { podLogSource, type PodLogSource } from "./pod-logs";
import { PodRuntime } from "./pod-runtime";
import { PodSync } from "./pod-sync";
import { deleteForGood, PodTermination } from "./pod-termination";
import { PodVolumes } from "./pod-volumes";
import { bytesOf, milliCpuOf } from "./quantity";
import { podRefersTo, watchReferencedObjects } from "./referenced-objects";
import { Backoff } from "./restart-backoff";
import { Scheduler } from "./scheduler";
import { type ServiceAccountTokenSource, tokenRequestSource } from "./service-account-tokens";
import { StatusWriter } from "./status-writer";

export interface TestKubeletOptions {
  apiServer: ApiServerAccess;
  /** The engine the pods' containers run on (the Docker operator's context: dockerode client and host id, whose labels mark them). */
  engine: Pick<EngineContext, "docker" | "hostId">;
  /** Default `test-node`. */
  nodeName?: string;
  /** What the scheduler may place on the node. Default: this machine's cores and memory. */
  capacity?: { cpu: string; memory: string };
  /** How long a failed pull shows `ErrImagePull` before `ImagePullBackOff`. Default 1 s. */
  imagePullGraceMs?: number;
  /** The first back-off for pulls and restarts (doubling, at most 30 times this). Kubernetes: 10 s, the default. */
  backoffBaseMs?: number;
  /** How often the node's containers are relisted to notice starts and ends. Default 250 ms (the kubelet: 1 s). */
  relistIntervalMs?: number;
  /** Where pod volumes are kept. Default `<tmp>/dp-test-kubelet/<nodeName>`. */
  rootDir?: string;
  /** Service-account tokens for projected volumes; default the API's TokenRequest. The test API server: `tokenFor`. */
  serviceAccountToken?: ServiceAccountTokenSource;
  /** Hands the node's log source to the API server (the test API server: `setPodLogSource`). */
  registerLogSource?: (source: PodLogSource) => void;
  log?: OperatorLog;
}

export interface TestKubelet {
  nodeName: string;
  /** The engine id of the latest attempt of the pod's first container, if it has one. */
  containerOf(namespace: string, pod: string): string | undefined;
  /** The node's log source (already registered when `registerLogSource` was given). */
  logs: PodLogSource;
  /**
   * Stops watching and working. Like a real kubelet's, its containers keep running (a kubelet
   * started again with the same node name and engine adopts them); `removeContainers` removes
   * them and the pods' volume folders instead.
   */
  stop(options?: { removeContainers?: boolean }): Promise<void>;
}

const HOUSEKEEPING_INTERVAL_MS = 2_000;
const HOST_IP = "127.0.0.1";

/**
 * A kubelet (with a one-node scheduler) for tests: watches pods on the API server, binds pending
 * ones to its node when they fit, runs bound ones as containers on the engine, and reports them
 * through the API as a kubelet does. See README.md for what it does and does not do.
 */
export async function startTestKubelet(options: TestKubeletOptions): Promise<TestKubelet> {
  const nodeName = options.nodeName ?? "test-node";
  const log = options.log ?? createOperatorLog({ level: "warn" });
  const rootDir = options.rootDir ?? path.join(os.tmpdir(), "dp-test-kubelet", nodeName);
  const backoffBaseMs = options.backoffBaseMs ?? 10_000;
  const { kubeConfig, core } = kubeClientFor(options.apiServer);
  const objects = podObjectsFrom(core);
  const runtime = new PodRuntime(options.engine.docker, options.engine.hostId, nodeName);
  const volumes = new PodVolumes(rootDir, { objects, tokens: options.serviceAccountToken ?? tokenRequestSource(core), caPem: options.apiServer.caPem, hostIp: HOST_IP });
  const statusWriter = new StatusWriter(core);
  const podSync = new PodSync({
    runtime,
    volumes,
    pulls: new ImagePulls(options.engine.docker, backoffBaseMs),
    objects,
    statusWriter,
    restarts: new Backoff(backoffBaseMs),
    hostIp: HOST_IP,
    apiServerUrl: options.apiServer.url,
    imagePullGraceMs: options.imagePullGraceMs ?? 1_000,
    configRetryMs: Math.min(backoffBaseMs, 2_000),
  });
  const termination = new PodTermination({ core, runtime, volumes, podSync, log });
  const capacity = options.capacity ?? { cpu: String(os.cpus().length), memory: String(os.totalmem()) };
  const nodeLabels = { "kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux", "kubernetes.io/arch": process.arch === "x64" ? "amd64" : process.arch };

  let pods: PodInformer | undefined;
  const livePodUids = () => new Set((pods?.list() ?? []).map((pod) => pod.metadata?.uid ?? ""));
  const cleanUp = async () => {
    for (const uid of await removeOrphans(runtime, volumes, livePodUids)) podSync.forget(uid);
  };
  const scheduler = new Scheduler(core, { name: nodeName, labels: nodeLabels, capacity: { milliCpu: milliCpuOf(capacity.cpu), memoryBytes: bytesOf(capacity.memory) } }, () => pods?.list() ?? [], statusWriter);

  const queue = new KeyedQueue(
    async (key) => {
      const [namespace = "", name = ""] = key.split("/");
      const pod = pods?.get(namespace, name);
      if (!pod) return cleanUp();
      if (!pod.spec?.nodeName) {
        // The API server deletes an unbound pod at once; one that waits for a kubelet is finished here.
        if (pod.metadata?.deletionTimestamp) return deleteForGood(core, pod);
        return scheduler.schedule(pod);
      }
      if (pod.spec.nodeName !== nodeName) return;
      if (pod.metadata?.deletionTimestamp) return termination.terminate(pod);
      const wakeInMs = await podSync.sync(pod);
      if (wakeInMs !== undefined) queue.addAfter(key, wakeInMs);
    },
    { concurrency: 4, retryMs: 1_000, onError: (key, error) => log.warn("test kubelet: pod sync failed", { pod: key, error: String(error) }) },
  );
  const keyOf = (pod: V1Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  // A pod on this node that changed or went may have made room for one that did not fit.
  const retryUnscheduled = () => {
    for (const pod of pods?.list() ?? []) if (!pod.spec?.nodeName) queue.add(keyOf(pod));
  };

  pods = await startPodInformer(kubeConfig, core, {
    changed(pod) {
      queue.add(keyOf(pod));
      if (pod.spec?.nodeName === nodeName) retryUnscheduled();
    },
    deleted(pod) {
      queue.add(keyOf(pod));
      retryUnscheduled();
    },
    error: (error) => log.warn("test kubelet: pod watch failed; restarting it", { error: String(error) }),
  });
  // A Secret or ConfigMap made or changed: the pods on this node that name it sync again (volumes projected anew, or set up at last).
  const referenced = await watchReferencedObjects(kubeConfig, core, {
    changed(kind, namespace, name) {
      for (const pod of pods?.list() ?? []) {
        if (pod.spec?.nodeName === nodeName && pod.metadata?.namespace === namespace && podRefersTo(pod, kind, name)) queue.add(keyOf(pod));
      }
    },
    error: (error) => log.warn("test kubelet: secret or configmap watch failed; restarting it", { error: String(error) }),
  }).catch(async (error: unknown) => {
    await pods?.stop();
    throw error;
  });
  await cleanUp();
  for (const pod of pods.list()) queue.add(keyOf(pod));

  const relist = new ContainerRelist(runtime);
  const ticks = new Set<Promise<void>>();
  const every = (ms: number, what: string, tick: () => Promise<void>) => {
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      const done = tick()
        .catch((error: unknown) => log.warn(`test kubelet: ${what} failed`, { error: String(error) }))
        .finally(() => {
          running = false;
          ticks.delete(done);
        });
      ticks.add(done);
    }, ms);
  };
  const timers = [
    every(options.relistIntervalMs ?? 250, "relist", async () => {
      for (const key of await relist.changedPods()) queue.add(key);
    }),
    every(HOUSEKEEPING_INTERVAL_MS, "housekeeping", cleanUp),
  ];

  const logs = podLogSource(pods, runtime);
  options.registerLogSource?.(logs);

  return {
    nodeName,
    containerOf(namespace, name) {
      const pod = pods?.get(namespace, name);
      const container = pod?.spec?.containers?.[0]?.name;
      return pod && container ? runtime.latestContainerId(pod.metadata?.uid ?? "", container) : undefined;
    },
    logs,
    async stop(stopOptions = {}) {
      for (const timer of timers) clearInterval(timer);
      await Promise.all([pods?.stop(), referenced.stop()]);
      await queue.stop();
      await Promise.all([...ticks]);
      if (!stopOptions.removeContainers) return;
      for (const container of await runtime.list()) await runtime.remove(container.Id);
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}
