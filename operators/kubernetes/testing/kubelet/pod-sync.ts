import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { containerCreateOptions } from "./container-create";
import { ContainerConfigError, containerEnv } from "./container-env";
import type { ImagePulls } from "./image-pulls";
import type { PodObjects } from "./kube-objects";
import { kubeTime, timeMs } from "./kube-time";
import type { ObservedContainer, PodRuntime } from "./pod-runtime";
import { podStatus, type Waiting } from "./pod-status";
import type { PodVolumes, VolumeSource } from "./pod-volumes";
import { type Backoff, goDuration } from "./restart-backoff";
import { podDescription } from "./security-context";
import { VolumeSetupError } from "./service-account-tokens";
import type { StatusWriter } from "./status-writer";

export interface PodSyncContext {
  runtime: PodRuntime;
  volumes: PodVolumes;
  pulls: ImagePulls;
  objects: PodObjects;
  statusWriter: StatusWriter;
  restarts: Backoff;
  hostIp: string;
  apiServerUrl: string;
  /** How long `ErrImagePull` stands before the next look shows `ImagePullBackOff`. */
  imagePullGraceMs: number;
  /** When a container that could not be configured (a Secret missing, say) is tried again. */
  configRetryMs: number;
}

/** What the engine cannot tell about a pod: when this kubelet first took it, and its volumes once set up. */
interface PodMemory {
  startTime: Date;
  volumes?: Map<string, VolumeSource>;
}

/**
 * One pass of the kubelet over one live pod bound to this node (SyncPod): set up its volumes;
 * run its init containers one by one, then its containers; restart what ended as the pod's
 * restartPolicy says, with back-off; then write the status that results. Returns in how many ms
 * the pod wants another pass (a back-off running out), if it does; container ends are noticed by
 * the relist (see pod-lifecycle-events.ts).
 */
export class PodSync {
  private readonly memory = new Map<string, PodMemory>();

  constructor(private readonly context: PodSyncContext) {}

  async sync(pod: V1Pod): Promise<number | undefined> {
    const uid = pod.metadata!.uid!;
    const memory = this.memory.get(uid) ?? { startTime: kubeTime() };
    this.memory.set(uid, memory);
    const pass = new SyncPass();

    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return undefined; // nothing runs again

    try {
      // Every pass projects Secrets, ConfigMaps and the downward API again, as the kubelet's SyncPod remounts them.
      if (memory.volumes) await this.context.volumes.refresh(pod);
      else memory.volumes = await this.context.volumes.prepare(pod);
    } catch (error) {
      if (!(error instanceof VolumeSetupError)) throw error;
      // A volume not set up yet (its Secret not made yet, say) holds the pod in ContainerCreating and is tried again.
      // One that cannot be refreshed keeps its files, and the containers run on, as on a node.
      if (!memory.volumes) {
        for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) pass.wait(container.name, { reason: "ContainerCreating", message: error.message }, this.context.configRetryMs);
      }
    }

    if (memory.volumes) {
      const before = await this.context.runtime.podContainers(uid);
      if (await this.runInitContainers(pod, before, memory.volumes, pass)) {
        for (const container of pod.spec?.containers ?? []) await this.runContainer(pod, container, before, memory.volumes, pass);
      }
    }

    const observed = await this.removeOldAttempts(await this.context.runtime.podContainers(uid));
    const status = podStatus({ pod, observed, waiting: pass.waiting, hostIp: this.context.hostIp, startTime: memory.startTime, readyToStart: !!memory.volumes, podIsTerminal: false, now: kubeTime() });
    await this.context.statusWriter.write(pod, status);
    return pass.wakeAt === undefined ? undefined : Math.max(0, pass.wakeAt - Date.now());
  }

  /** The pod's final status once its containers were stopped for deletion (terminal phase, as kubelets since 1.27 write). */
  async writeFinalStatus(pod: V1Pod): Promise<void> {
    const uid = pod.metadata!.uid!;
    const observed = await this.context.runtime.podContainers(uid);
    const memory = this.memory.get(uid);
    const status = podStatus({ pod, observed, waiting: new Map(), hostIp: this.context.hostIp, startTime: memory?.startTime ?? kubeTime(), readyToStart: false, podIsTerminal: true, now: kubeTime() });
    await this.context.statusWriter.write(pod, status);
  }

  forget(uid: string): void {
    this.memory.delete(uid);
    this.context.pulls.forgetPod(uid);
    this.context.restarts.forgetPrefix(`${uid}/`);
    this.context.statusWriter.forget(uid);
  }

  /** Runs init containers in order; true once all completed. One that failed stops the pod under restartPolicy Never. */
  private async runInitContainers(pod: V1Pod, observed: ObservedContainer[], volumes: Map<string, VolumeSource>, pass: SyncPass): Promise<boolean> {
    for (const container of pod.spec?.initContainers ?? []) {
      const latest = latestAttempt(observed, container.name);
      if (latest?.state.terminated?.exitCode === 0) continue;
      if (latest?.state.running) return false;
      if (latest?.state.terminated) {
        if ((pod.spec?.restartPolicy ?? "Always") !== "Never") await this.restart(pod, container, latest, volumes, pass);
        return false;
      }
      await this.start(pod, container, latest?.identity.attempt ?? 0, volumes, pass);
      return false;
    }
    return true;
  }

  private async runContainer(pod: V1Pod, container: V1Container, observed: ObservedContainer[], volumes: Map<string, VolumeSource>, pass: SyncPass): Promise<void> {
    const latest = latestAttempt(observed, container.name);
    if (!latest || latest.state.waiting) return this.start(pod, container, latest?.identity.attempt ?? 0, volumes, pass);
    const ended = latest.state.terminated;
    if (!ended) return;
    const policy = pod.spec?.restartPolicy ?? "Always";
    if (policy === "Always" || (policy === "OnFailure" && ended.exitCode !== 0)) await this.restart(pod, container, latest, volumes, pass);
  }

  /** CrashLoopBackOff while the back-off since the last end runs; else the next attempt. */
  private async restart(pod: V1Pod, container: V1Container, latest: ObservedContainer, volumes: Map<string, VolumeSource>, pass: SyncPass): Promise<void> {
    const key = `${pod.metadata!.uid}/${container.name}`;
    const endedAt = timeMs(latest.state.terminated?.finishedAt) ?? Date.now();
    const retryAt = this.context.restarts.retryAt(key, endedAt);
    if (retryAt !== undefined) {
      const delay = goDuration(this.context.restarts.delayOf(key));
      pass.wait(container.name, { reason: "CrashLoopBackOff", message: `back-off ${delay} restarting failed container=${container.name} pod=${podDescription(pod)}` }, retryAt - Date.now());
      return;
    }
    this.context.restarts.next(key, endedAt);
    await this.start(pod, container, latest.identity.attempt + 1, volumes, pass);
  }

  private async start(pod: V1Pod, container: V1Container, attempt: number, volumes: Map<string, VolumeSource>, pass: SyncPass): Promise<void> {
    const uid = pod.metadata!.uid!;
    const image = await this.context.pulls.ensure(uid, container.image ?? "", container.imagePullPolicy);
    if (!image.ok) {
      const wakeIn = image.reason === "ErrImagePull" ? this.context.imagePullGraceMs : image.retryAt !== undefined ? image.retryAt - Date.now() : undefined;
      return pass.wait(container.name, { reason: image.reason, message: image.message }, wakeIn);
    }
    let options;
    try {
      const env = await containerEnv(pod, container, this.context.objects, { apiServerUrl: this.context.apiServerUrl, hostIp: this.context.hostIp });
      options = await containerCreateOptions({ pod, container, image, env, volumes });
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      return pass.wait(container.name, { reason: "CreateContainerConfigError", message: error.message }, this.context.configRetryMs);
    }
    const identity = { namespace: pod.metadata!.namespace ?? "default", pod: pod.metadata!.name!, podUid: uid, container: container.name, attempt };
    await this.context.runtime.run(identity, options);
  }

  /** The kubelet keeps a container's last ended attempt (for `--previous` logs and lastState) and removes older ones. */
  private async removeOldAttempts(observed: ObservedContainer[]): Promise<ObservedContainer[]> {
    const kept: ObservedContainer[] = [];
    for (const container of observed) {
      const latest = latestAttempt(observed, container.identity.container)!;
      if (container.identity.attempt < latest.identity.attempt - 1) await this.context.runtime.remove(container.id);
      else kept.push(container);
    }
    return kept;
  }
}

/** What one pass found waiting, and when the earliest of those waits runs out. */
class SyncPass {
  readonly waiting = new Map<string, Waiting>();
  wakeAt: number | undefined;

  wait(container: string, waiting: Waiting, wakeInMs?: number): void {
    this.waiting.set(container, waiting);
    if (wakeInMs === undefined) return;
    const at = Date.now() + Math.max(0, wakeInMs);
    this.wakeAt = this.wakeAt === undefined ? at : Math.min(this.wakeAt, at);
  }
}

function latestAttempt(observed: ObservedContainer[], name: string): ObservedContainer | undefined {
  return observed.filter((container) => container.identity.container === name).reduce<ObservedContainer | undefined>((best, container) => (!best || container.identity.attempt > best.identity.attempt ? container : best), undefined);
}
