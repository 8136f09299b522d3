import type Docker from "dockerode";
import { isNotFound } from "../../../docker/engine-errors";
import { invalidImageNameMessage } from "./image-reference";
import { Backoff } from "./restart-backoff";

export type ImageCheck =
  | { ok: true; image: string; user: string }
  | { ok: false; reason: "InvalidImageName" | "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull"; message: string; retryAt?: number };

/**
 * The kubelet's image step, without the network: an image is "pulled" when the engine already
 * has it (this machine reaches no registry, so the test kubelet never pulls, whatever
 * `imagePullPolicy` says). A missing image fails as a failed pull does: `ErrImagePull`, then
 * `ImagePullBackOff` until the back-off for that pod and image runs out, then another try.
 */
export class ImagePulls {
  private readonly backoff: Backoff;
  private readonly lastFailure = new Map<string, number>();

  constructor(
    private readonly docker: Docker,
    backoffBaseMs: number,
  ) {
    this.backoff = new Backoff(backoffBaseMs);
  }

  async ensure(podUid: string, image: string, pullPolicy: string | undefined): Promise<ImageCheck> {
    const invalid = invalidImageNameMessage(image);
    if (invalid) return { ok: false, reason: "InvalidImageName", message: invalid };

    const key = `${podUid}_${image}`;
    const failedAt = this.lastFailure.get(key);
    const retryAt = failedAt === undefined ? undefined : this.backoff.retryAt(key, failedAt);
    if (retryAt !== undefined) return { ok: false, reason: "ImagePullBackOff", message: `Back-off pulling image ${JSON.stringify(image)}`, retryAt };

    try {
      const info = await this.docker.getImage(image).inspect();
      this.lastFailure.delete(key);
      return { ok: true, image, user: info.Config?.User ?? "" };
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (pullPolicy === "Never") {
      return { ok: false, reason: "ErrImageNeverPull", message: `Container image ${JSON.stringify(image)} is not present with pull policy of Never` };
    }
    this.backoff.next(key);
    this.lastFailure.set(key, Date.now());
    return {
      ok: false,
      reason: "ErrImagePull",
      message: `Failed to pull image ${JSON.stringify(image)}: not found: the image is not on this node's engine, and the test kubelet never pulls (build or load it into the engine first)`,
    };
  }

  forgetPod(podUid: string): void {
    this.backoff.forgetPrefix(`${podUid}_`);
    for (const key of this.lastFailure.keys()) if (key.startsWith(`${podUid}_`)) this.lastFailure.delete(key);
  }
}
