import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { judgePod } from "./pod-verdict";

const graces = { imagePullMs: 30_000, unschedulableMs: 60_000 };
const created = new Date("2026-12-03T00:00:00Z");
const at = (seconds: number) => created.getTime() + seconds * 1000;

function pod(status: V1Pod["status"], limits: Record<string, string> = { memory: "1024Mi" }): V1Pod {
  return {
    metadata: { name: "dp-sbx-x", creationTimestamp: created },
    spec: { containers: [{ name: "sandbox", image: "registry.example/sandbox:1.2", resources: { limits } }] },
    status,
  };
}
const waiting = (reason: string, message?: string): V1Pod["status"] => ({ phase: "Pending", containerStatuses: [{ name: "sandbox", image: "x", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason, message } } }] });

describe("what a sandbox pod's status means for the person waiting", () => {
  it("is starting while it is scheduled and pulled, and running once its container runs", () => {
    expect(judgePod(pod({ phase: "Pending" }), at(1), graces)).toEqual({ state: "starting" });
    expect(judgePod(pod(waiting("ContainerCreating")), at(1), graces)).toEqual({ state: "starting" });
    expect(judgePod(pod({ phase: "Running", containerStatuses: [{ name: "sandbox", image: "x", imageID: "", ready: true, restartCount: 0, state: { running: { startedAt: created } } }] }), at(2), graces)).toEqual({ state: "running" });
  });

  it("gives up an invalid image name at once, naming the image", () => {
    const verdict = judgePod(pod(waiting("InvalidImageName", 'couldn\'t parse image name "Bad Name"')), at(0), graces);
    expect(verdict).toMatchObject({ state: "failed", problem: expect.stringMatching(/^the image name registry\.example\/sandbox:1\.2 is not valid: couldn't parse/) });
  });

  it("gives an image that will not pull its grace, then says so with what to check", () => {
    expect(judgePod(pod(waiting("ErrImagePull", "not found")), at(10), graces)).toEqual({ state: "starting" });
    expect(judgePod(pod(waiting("ImagePullBackOff", 'Back-off pulling image "registry.example/sandbox:1.2"')), at(31), graces)).toMatchObject({
      state: "failed",
      problem: expect.stringMatching(/could not be pulled for 30 s \(ImagePullBackOff: Back-off pulling image .*\); check its name and tag/),
    });
  });

  it("gives a pod no node can take its grace, then passes on the scheduler's words", () => {
    const unschedulable = (seconds: number): V1Pod["status"] => ({
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/1 nodes are available: 1 Insufficient memory.", lastTransitionTime: new Date(at(seconds)) }],
    });
    expect(judgePod(pod(unschedulable(0)), at(59), graces)).toEqual({ state: "starting" });
    expect(judgePod(pod(unschedulable(0)), at(61), graces)).toMatchObject({ state: "failed", problem: expect.stringMatching(/no node in the cluster could take it for 60 s: 0\/1 nodes are available: 1 Insufficient memory/) });
  });

  it("says a container configuration error at once, and an out-of-memory kill with its limit", () => {
    expect(judgePod(pod(waiting("CreateContainerConfigError", "container has runAsNonRoot and image will run as root")), at(0), graces)).toMatchObject({
      state: "failed",
      problem: "its container's configuration is invalid: container has runAsNonRoot and image will run as root",
    });
    const oom: V1Pod["status"] = { phase: "Failed", containerStatuses: [{ name: "sandbox", image: "x", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: "OOMKilled" } } }] };
    expect(judgePod(pod(oom), at(5), graces)).toMatchObject({ state: "failed", exitCode: 137, problem: expect.stringMatching(/ran out of memory \(its limit is 1024Mi\) and was killed \(OOMKilled\)/) });
  });

  it("gives an exited container's code (the caller adds its last log lines)", () => {
    const exited: V1Pod["status"] = { phase: "Failed", containerStatuses: [{ name: "sandbox", image: "x", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: "Error" } } }] };
    expect(judgePod(pod(exited), at(5), graces)).toEqual({ state: "failed", problem: "its container exited with code 3", exitCode: 3 });
  });
});
