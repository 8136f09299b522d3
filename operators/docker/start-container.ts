import type Docker from "dockerode";
import { SANDBOX_CREATE_FAILURES, type TSandboxSpec } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import { imageRef, sandboxContainerConfig } from "./container-config";
import { isNotFound, unlessGone } from "./engine-errors";
import { engineRefused, ensureImage, imageMissing, imagePresent } from "./image-check";
import type { WorkspaceVolumes } from "./workspace-volumes";

export interface EngineContext {
  docker: Docker;
  hostId: string;
  /** The network sandboxes join (DISCOPARROT_SANDBOX_NETWORK). */
  network: string;
  volumes: WorkspaceVolumes;
}

/**
 * Creates and starts one sandbox container (a claimed sandbox's or a warm one): the image is
 * checked first (never pulled: see image-check.ts), so an image the host lacks is `image_not_found`
 * and leaves nothing behind; anything that fails after the volume or the container exists removes
 * them again, and an engine's refusal is `engine_refused` in words. The container starts into the
 * entry script, which waits for its identity (`hand-identity.ts`).
 */
export async function startSandboxContainer(
  engine: EngineContext,
  options: { name: string; spec: TSandboxSpec; labels: Record<string, string>; volumeSuffix: string },
): Promise<Docker.Container> {
  const image = imageRef(options.spec);
  await ensureImage(engine.docker, image);

  const volume = await engine.volumes.forSpec(options.spec, options.volumeSuffix);
  let container: Docker.Container | undefined;
  try {
    container = await engine.docker.createContainer(
      sandboxContainerConfig({ name: options.name, spec: options.spec, labels: options.labels, network: engine.network, workspaceVolume: volume }),
    );
    await container.start();
    return container;
  } catch (error) {
    const created = container;
    if (created) await unlessGone(() => created.remove({ force: true, v: false })).catch(() => undefined);
    await engine.volumes.removeScratch(volume).catch(() => undefined);
    if (error instanceof CommandError) throw error;
    // A 404 here is the image gone between the check and the create (removed on the host), or something else missing (a network).
    if (isNotFound(error) && !(await imagePresent(engine.docker, image))) {
      throw new CommandError(SANDBOX_CREATE_FAILURES.imageNotFound, imageMissing(image, "it was removed from the host while the container was being made"));
    }
    throw engineRefused(error);
  }
}
