import type { V1ContainerState } from "@kubernetes/client-node";
import type Docker from "dockerode";
import { demultiplex } from "../../../docker/container-logs";
import { isNotFound, unlessGone } from "../../../docker/engine-errors";
import { kernelLogSaysOomKilled } from "./kernel-oom-log";
import { kubeTime } from "./kube-time";
import { type ContainerIdentity, engineContainerName, identityOf, kubeletContainerLabels, nodeContainersFilter } from "./kubelet-labels";

/** One engine container of a pod (one attempt of one of its containers), as the kubelet sees it. */
export interface ObservedContainer {
  id: string;
  identity: ContainerIdentity;
  /** running{startedAt}, terminated{…}, or waiting{} for one made but not started. */
  state: V1ContainerState;
  imageId: string;
}

const NEVER = "0001-01-01T00:00:00Z";

/**
 * The node's side of the engine: makes, starts, stops and removes the kubelet's containers and
 * reads their state back. A container that ended is read once (its end does not change); a start
 * the engine refused is remembered, since Podman leaves such a container "created" with no error.
 */
export class PodRuntime {
  private readonly ended = new Map<string, ObservedContainer>();
  private readonly startFailures = new Map<string, string>();
  /** Every container of this node seen last (listed, made, or inspected), for `containerOf`. */
  private readonly known = new Map<string, ContainerIdentity>();

  constructor(
    private readonly docker: Docker,
    private readonly hostId: string,
    private readonly nodeName: string,
  ) {}

  /** Every container of this node (or of one pod), without inspecting them. */
  async list(podUid?: string): Promise<Docker.ContainerInfo[]> {
    const containers = await this.docker.listContainers({ all: true, filters: nodeContainersFilter(this.hostId, this.nodeName, podUid) });
    for (const [id, identity] of this.known) if (podUid === undefined || identity.podUid === podUid) this.known.delete(id);
    for (const container of containers) {
      const identity = identityOf(container.Labels);
      if (identity) this.known.set(container.Id, identity);
    }
    return containers;
  }

  /** The engine id of the latest attempt of `container` in the pod with `podUid`, as last seen. */
  latestContainerId(podUid: string, container: string): string | undefined {
    let best: { id: string; attempt: number } | undefined;
    for (const [id, identity] of this.known) {
      if (identity.podUid === podUid && identity.container === container && (!best || identity.attempt > best.attempt)) best = { id, attempt: identity.attempt };
    }
    return best?.id;
  }

  async podContainers(podUid: string): Promise<ObservedContainer[]> {
    const observed = await Promise.all((await this.list(podUid)).map((info) => this.observe(info.Id)));
    return observed.filter((container): container is ObservedContainer => container !== undefined);
  }

  /** Makes and starts one attempt; a refused start leaves it behind as terminated (ContainerCannotRun), like a runtime's StartError. */
  async run(identity: ContainerIdentity, options: Docker.ContainerCreateOptions): Promise<void> {
    const name = engineContainerName(identity);
    // A leftover of the same attempt (a kubelet stopped between create and start) is made again.
    await unlessGone(() => this.docker.getContainer(name).remove({ force: true }));
    const container = await this.docker.createContainer({ ...options, name, Labels: { ...options.Labels, ...kubeletContainerLabels(this.hostId, this.nodeName, identity) } });
    this.known.set(container.id, identity);
    try {
      await container.start();
    } catch (error) {
      this.startFailures.set(container.id, (error as { json?: { message?: string } }).json?.message ?? String(error));
    }
  }

  /** SIGTERM (the image's stop signal), then SIGKILL after `graceSeconds`, as `docker stop -t` does. */
  async stop(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.ceil(graceSeconds)) });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 304 && !isNotFound(error)) throw error; // 304: already stopped
    }
  }

  async remove(id: string): Promise<void> {
    await unlessGone(() => this.docker.getContainer(id).remove({ force: true, v: true }));
    this.known.delete(id);
    this.ended.delete(id);
    this.startFailures.delete(id);
  }

  /** What the container printed, stdout and stderr together (the last `tailLines` lines when given). */
  async logs(id: string, tailLines?: number): Promise<string> {
    const raw = (await this.docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, ...(tailLines !== undefined ? { tail: tailLines } : {}) })) as unknown as Buffer;
    return demultiplex(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  }

  private async observe(id: string): Promise<ObservedContainer | undefined> {
    const known = this.ended.get(id);
    if (known) return known;
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(id).inspect();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const identity = identityOf(info.Config.Labels);
    if (!identity) return undefined;
    const observed: ObservedContainer = { id, identity, state: this.stateOf(info), imageId: `docker://${info.Image}` };
    if (observed.state.terminated) this.ended.set(id, observed);
    return observed;
  }

  private stateOf(info: Docker.ContainerInspectInfo): V1ContainerState {
    const state = info.State;
    if (state.Running || state.Paused) return { running: { startedAt: kubeTime(state.StartedAt) } };
    const neverStarted = !state.StartedAt || state.StartedAt === NEVER;
    const startFailure = this.startFailures.get(info.Id);
    if (neverStarted) {
      // Made but never started: its start was refused, or a kubelet stopped in between (the sync makes that attempt again).
      if (!startFailure) return { waiting: { reason: "ContainerCreating" } };
      const at = kubeTime(info.Created);
      return { terminated: { exitCode: 128, reason: "ContainerCannotRun", message: startFailure, startedAt: at, finishedAt: at, containerID: `docker://${info.Id}` } };
    }
    const exitCode = state.ExitCode;
    const oomKilled = state.OOMKilled || (exitCode === 137 && (info.HostConfig.Memory ?? 0) > 0 && kernelLogSaysOomKilled(info.Id));
    const reason = oomKilled ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error";
    return { terminated: { exitCode, reason, startedAt: kubeTime(state.StartedAt), finishedAt: kubeTime(state.FinishedAt), containerID: `docker://${info.Id}` } };
  }
}
