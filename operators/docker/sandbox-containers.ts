import type Docker from "dockerode";
import { DOCKER_LABELS, type TSandboxSpec } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import { lastLogLines } from "./container-logs";
import { isNotFound, unlessGone } from "./engine-errors";
import { handIdentity, writeAccessUrl } from "./hand-identity";
import { isOwn, ownFilter, ownLabels, sandboxContainerName, sandboxIdOfName } from "./ownership";
import { type EngineContext, startSandboxContainer } from "./start-container";
import type { WarmPool } from "./warm-pool";

const STOP_TIMEOUT_SECONDS = 2;
const PROBLEM_LOG_LINES = 20;

type SandboxState = "running" | "stopped" | "missing";

/**
 * The sandboxes on this engine, one container each, named `dp-<sandboxId>`. Only containers with
 * this host's labels are ever found, listed or removed; a container of that name made by anyone
 * else is treated as absent and never replaced.
 */
export class SandboxContainers {
  /** Why the last create of a sandbox failed, for `inspect` of a sandbox that never came to be. */
  private readonly createFailures = new Map<string, string>();
  /**
   * When this operator last began creating each sandbox: a warm container claimed for it keeps the
   * engine's `Created` of long ago, and a sync must still see it as young (its sandbox may have been
   * saved after the platform read the list it sent).
   */
  private readonly createStartedAt = new Map<string, number>();

  constructor(
    private readonly engine: EngineContext,
    private readonly pool: WarmPool,
  ) {}

  /** Makes (or claims) the sandbox's container and hands it its identity. Creating one that exists only refreshes its access URL. */
  async create(input: { sandboxId: string; spec: TSandboxSpec; accessUrl: string }): Promise<{ workloadId: string; fromWarmPool: boolean }> {
    const { sandboxId, spec, accessUrl } = input;
    this.createStartedAt.set(sandboxId, Date.now());
    const name = sandboxContainerName(sandboxId);
    const existing = await this.find(sandboxId);
    if (existing) {
      await writeAccessUrl(this.engine.docker.getContainer(existing.Id), accessUrl);
      return { workloadId: existing.Id, fromWarmPool: false };
    }
    if (await this.nameTaken(name)) throw new CommandError("name_in_use", `a container named ${name} exists on this engine but was not made by this host's operator`);

    let container: Docker.Container | undefined;
    let fromWarmPool = false;
    try {
      container = await this.pool.claim(spec, name);
      fromWarmPool = container !== undefined;
      container ??= await startSandboxContainer(this.engine, {
        name,
        spec,
        labels: ownLabels(this.engine.hostId, { [DOCKER_LABELS.sandboxId]: sandboxId }),
        volumeSuffix: sandboxId,
      });
      await handIdentity(container, { sandboxId, agent: spec.agent, accessUrl });
    } catch (error) {
      if (error instanceof CommandError) this.createFailures.set(sandboxId, error.message);
      if (container) await this.destroy(sandboxId).catch(() => undefined);
      throw error;
    }
    this.createFailures.delete(sandboxId);
    return { workloadId: container.id, fromWarmPool };
  }

  /** Stops and removes the container and its scratch volume; a persistent workspace volume stays. */
  async destroy(sandboxId: string): Promise<{ removed: boolean; volumeRemoved: boolean }> {
    this.createFailures.delete(sandboxId);
    this.createStartedAt.delete(sandboxId);
    const info = await this.find(sandboxId);
    if (!info) return { removed: false, volumeRemoved: false };
    const container = this.engine.docker.getContainer(info.Id);
    if (info.State.Running) await container.stop({ t: STOP_TIMEOUT_SECONDS }).catch((error: unknown) => void error);
    const removed = await unlessGone(() => container.remove({ force: true, v: false }));
    let volumeRemoved = false;
    for (const mount of info.Mounts) {
      if (mount.Name && (await this.engine.volumes.removeScratch(mount.Name))) volumeRemoved = true;
    }
    return { removed, volumeRemoved };
  }

  async inspect(sandboxId: string): Promise<{ state: SandboxState; problem: string | null }> {
    const info = await this.find(sandboxId);
    if (!info) return { state: "missing", problem: this.createFailures.get(sandboxId) ?? null };
    if (info.State.Running) return { state: "running", problem: null };
    if (info.State.Status === "created") return { state: "stopped", problem: "created but never started" };
    const logs = await lastLogLines(this.engine.docker.getContainer(info.Id), PROBLEM_LOG_LINES).catch(() => "");
    const oom = info.State.OOMKilled ? " (out of memory)" : "";
    const problem = `exited with code ${info.State.ExitCode}${oom}${logs ? `: ${logs}` : ""}`;
    return { state: "stopped", problem: problem.length > 4000 ? `${problem.slice(0, 3999)}…` : problem };
  }

  /** This host's sandboxes on the engine (warm containers not yet claimed are not sandboxes). */
  async list(): Promise<string[]> {
    return (await this.listWithAge()).map(({ sandboxId }) => sandboxId).sort();
  }

  private async listWithAge(): Promise<{ sandboxId: string; createdAt: number }[]> {
    const containers = await this.engine.docker.listContainers({ all: true, filters: ownFilter(this.engine.hostId) });
    return containers.flatMap((container) => {
      const sandboxId = container.Names.map(sandboxIdOfName).find((id) => id !== undefined);
      // The engine's clock, the same machine as this operator's: `Created` is in seconds. A claimed warm container is as young as its claim.
      return sandboxId ? [{ sandboxId, createdAt: Math.max(container.Created * 1000, this.createStartedAt.get(sandboxId) ?? 0) }] : [];
    });
  }

  async refreshAccess(sandboxId: string, accessUrl: string): Promise<void> {
    const info = await this.find(sandboxId);
    if (!info) throw new CommandError("not_found", `sandbox ${sandboxId} has no container on this host`);
    if (!info.State.Running) throw new CommandError("not_running", `sandbox ${sandboxId} is not running`);
    await writeAccessUrl(this.engine.docker.getContainer(info.Id), accessUrl);
  }

  /** Removes this host's sandboxes not in `keep` made more than `graceSeconds` ago; says which of `keep` are present. */
  async sync(keep: string[], graceSeconds: number): Promise<{ present: string[]; removed: string[] }> {
    const wanted = new Set(keep);
    const present: string[] = [];
    const removed: string[] = [];
    const cutoff = Date.now() - graceSeconds * 1000;
    for (const { sandboxId, createdAt } of await this.listWithAge()) {
      if (wanted.has(sandboxId)) present.push(sandboxId);
      else if (createdAt < cutoff && (await this.destroy(sandboxId)).removed) removed.push(sandboxId);
    }
    return { present: present.sort(), removed: removed.sort() };
  }

  /** The sandbox's container, if it exists and is this host's. */
  private async find(sandboxId: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      const info = await this.engine.docker.getContainer(sandboxContainerName(sandboxId)).inspect();
      return isOwn(info.Config.Labels, this.engine.hostId) ? info : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async nameTaken(name: string): Promise<boolean> {
    try {
      await this.engine.docker.getContainer(name).inspect();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
