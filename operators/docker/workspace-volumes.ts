import type Docker from "dockerode";
import { DOCKER_LABELS, type TSandboxSpec, workspaceVolumeOfSpec } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import { isNotFound, unlessGone } from "./engine-errors";
import { isOwn, OPERATOR_LABELS, ownFilter, ownLabels, scratchVolumeName } from "./ownership";

/**
 * The volumes sandboxes keep their workspace on: a named persistent one per person and profile
 * (`dp-ws-…`, made on first use, kept when a sandbox goes) or a scratch one per container
 * (`dp-scratch-…`, removed with it). Both carry the operator's labels; a volume of that name
 * someone else made is refused, never mounted.
 */
export class WorkspaceVolumes {
  constructor(
    private readonly docker: Docker,
    private readonly hostId: string,
  ) {}

  /** The volume a new container mounts for `spec`: the persistent one, or a new scratch one named for `suffix`. */
  async forSpec(spec: TSandboxSpec, suffix: string): Promise<string> {
    const persistent = workspaceVolumeOfSpec(spec);
    if (persistent !== null) return this.ensurePersistent(persistent);
    const name = scratchVolumeName(suffix);
    await this.docker.createVolume({ Name: name, Labels: ownLabels(this.hostId, { [OPERATOR_LABELS.scratch]: "true" }) });
    return name;
  }

  private async ensurePersistent(name: string): Promise<string> {
    try {
      const volume = await this.docker.getVolume(name).inspect();
      if (!isOwn(volume.Labels, this.hostId)) throw new CommandError("volume_not_ours", `volume ${name} exists on this engine but was not made by this host's operator`);
      return name;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await this.docker.createVolume({ Name: name, Labels: ownLabels(this.hostId, { [DOCKER_LABELS.workspaceVolume]: name }) });
    return name;
  }

  /** Removes `name` if it is one of this host's scratch volumes; a persistent one is never removed here. */
  async removeScratch(name: string): Promise<boolean> {
    const volume = this.docker.getVolume(name);
    try {
      const info = await volume.inspect();
      if (!isOwn(info.Labels, this.hostId) || info.Labels?.[OPERATOR_LABELS.scratch] !== "true") return false;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    return unlessGone(() => volume.remove());
  }

  /** This host's persistent workspace volumes, and whether a container of ours mounts each. */
  async list(): Promise<{ name: string; createdAt: string | null; inUse: boolean }[]> {
    const { Volumes } = await this.docker.listVolumes({ filters: ownFilter(this.hostId) });
    const mounted = await this.mountedVolumes();
    return (Volumes ?? [])
      .filter((volume) => volume.Name.startsWith("dp-ws-") && volume.Labels?.[OPERATOR_LABELS.scratch] !== "true")
      .map((volume) => ({ name: volume.Name, createdAt: (volume as { CreatedAt?: string }).CreatedAt ?? null, inUse: mounted.has(volume.Name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Removes one of this host's persistent volumes; `in_use` while a sandbox mounts it. */
  async remove(name: string): Promise<boolean> {
    const volume = this.docker.getVolume(name);
    try {
      if (!isOwn((await volume.inspect()).Labels, this.hostId)) return false;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    if ((await this.mountedVolumes()).has(name)) throw new CommandError("in_use", `volume ${name} is mounted by a sandbox; destroy the sandbox first`);
    return unlessGone(() => volume.remove());
  }

  private async mountedVolumes(): Promise<Set<string>> {
    const containers = await this.docker.listContainers({ all: true, filters: ownFilter(this.hostId) });
    return new Set(containers.flatMap((container) => container.Mounts.map((mount) => mount.Name).filter((name): name is string => !!name)));
  }
}
