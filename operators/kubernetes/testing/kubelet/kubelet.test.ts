import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions, type V1Container, type V1Pod, type V1PodSpec } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, TEST_IMAGE, type TestEngine } from "../../../docker/testing/test-engine";
import { startTestKubeApiServer, type TestKubeApiServer } from "../kube-api";
import { canReadKernelLog, startTestKubelet, type TestKubelet } from "./index";
import { kubeClientFor } from "./kube-client";
import { PodHistory } from "./pod-history";

/**
 * The test kubelet against the test API server and a real engine (Podman): what a person running
 * pods would notice: the pod's phase and container states as kubectl shows them, what the
 * container itself sees (user, capabilities, env, files), its log through `pods/log`, and that a
 * deleted pod leaves nothing running.
 */
const NAMESPACE = "kubelet-test";
const IMAGE = `${TEST_IMAGE.image}:${TEST_IMAGE.tag}`;

let server: TestKubeApiServer;
let engine: TestEngine;
let kubelet: TestKubelet;
let core: CoreV1Api;
let kubeConfig: KubeConfig;
let history: PodHistory;
let rootDir: string;

const kubeletOptions = () => ({
  apiServer: { url: server.url, caPem: server.caPem, token: server.adminToken },
  engine: engine.engine,
  capacity: { cpu: "2", memory: "2Gi" },
  imagePullGraceMs: 300,
  backoffBaseMs: 500,
  rootDir,
  serviceAccountToken: (namespace: string, serviceAccount: string) => server.tokenFor(namespace, serviceAccount),
  registerLogSource: (source: Parameters<TestKubeApiServer["setPodLogSource"]>[0]) => server.setPodLogSource(source),
});

beforeAll(async () => {
  [server, engine] = await Promise.all([startTestKubeApiServer(), startTestEngine()]);
  rootDir = await mkdtemp(path.join(os.tmpdir(), "dp-kubelet-test-"));
  ({ core, kubeConfig } = kubeClientFor({ url: server.url, caPem: server.caPem, token: server.adminToken }));
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  history = await PodHistory.start(kubeConfig, NAMESPACE);
  kubelet = await startTestKubelet(kubeletOptions());
}, 120_000);

afterAll(async () => {
  history?.stop();
  await kubelet?.stop({ removeContainers: true });
  await engine?.stop();
  await server?.close();
  if (rootDir) await rm(rootDir, { recursive: true, force: true });
});

function createPod(name: string, spec: Partial<V1PodSpec> & { containers: V1Container[] }, metadata: V1Pod["metadata"] = {}): Promise<V1Pod> {
  return core.createNamespacedPod({ namespace: NAMESPACE, body: { metadata: { ...metadata, name }, spec: { restartPolicy: "Never", ...spec } } });
}

const shell = (name: string, script: string, extra: Partial<V1Container> = {}): V1Container => ({ name, image: IMAGE, command: ["/bin/sh", "-c", script], ...extra });
const phaseIs = (phase: string) => (pod: V1Pod) => pod.status?.phase === phase;
const waitingReason = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
const logOf = (name: string, tailLines?: number) => core.readNamespacedPodLog({ namespace: NAMESPACE, name, tailLines });

/** What the container reports about itself: the lines of /proc/self/status that matter, and whether a token is mounted. */
const SELF_REPORT = `
while read key value rest; do
  case "$key" in Uid:|CapEff:|NoNewPrivs:|Seccomp:) echo "\${key%:}=$value";; esac
done < /proc/self/status
if [ -e /var/run/secrets/kubernetes.io/serviceaccount ]; then echo token=present; else echo token=absent; fi
if ( : > /tmp/probe-write ) 2>/dev/null; then echo rootfs=writable; else echo rootfs=read-only; fi
`;

describe("test kubelet", () => {
  it("runs a hardened pod as the user it names, with no capabilities, no privilege gain, the default seccomp profile and no token", async () => {
    await createPod("hardened", {
      automountServiceAccountToken: false,
      securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        shell("probe", SELF_REPORT, {
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
          resources: { limits: { cpu: "500m", memory: "128Mi" } },
        }),
      ],
    });

    const done = await history.waitFor("hardened", phaseIs("Succeeded"), "Succeeded");
    const status = done.status!.containerStatuses![0]!;
    expect(status.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(status.restartCount).toBe(0);
    expect(status.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(status.imageID).not.toBe("");
    expect(done.spec?.nodeName).toBe(kubelet.nodeName);
    expect(done.status).toMatchObject({ podIP: "127.0.0.1", hostIP: "127.0.0.1", qosClass: "Guaranteed" });
    expect(done.status?.startTime).toBeTruthy();
    expect(done.status?.conditions?.find((condition) => condition.type === "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });

    const log = await logOf("hardened");
    expect(log).toMatch(/^Uid=1000$/m);
    expect(log).toMatch(/^CapEff=0000000000000000$/m);
    expect(log).toMatch(/^NoNewPrivs=1$/m);
    expect(log).toMatch(/^Seccomp=2$/m); // a filter: the engine's default profile
    expect(log).toMatch(/^token=absent$/m);
    expect(log).toMatch(/^rootfs=read-only$/m);

    const info = await engine.docker.getContainer(kubelet.containerOf(NAMESPACE, "hardened")!).inspect();
    expect(info.HostConfig.Memory).toBe(128 * 2 ** 20);
    expect(info.HostConfig.CpuQuota).toBe(50_000);
  });

  it("refuses to run a runAsNonRoot container as root", async () => {
    await createPod("wants-root", { containers: [shell("main", "true", { securityContext: { runAsUser: 0, runAsNonRoot: true } })] });
    const refused = await history.waitFor("wants-root", (pod) => waitingReason(pod) === "CreateContainerConfigError", "CreateContainerConfigError");
    expect(refused.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/^container's runAsUser breaks non-root policy \(pod: "wants-root_kubelet-test\(.+\)", container: main\)$/);
    expect(refused.status?.phase).toBe("Pending");
  });

  it("mounts the service-account token the API server accepts, unless the pod opts out", async () => {
    const script = `
cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo
exec node -e '
const fs = require("fs"), https = require("https");
const dir = "/var/run/secrets/kubernetes.io/serviceaccount";
https.get({ host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, path: "/api/v1/namespaces/kubelet-test/pods",
  ca: fs.readFileSync(dir + "/ca.crt"), headers: { authorization: "Bearer " + fs.readFileSync(dir + "/token", "utf8") } },
  (res) => { console.log("status=" + res.statusCode); res.resume(); });'`;
    await createPod("token-user", { containers: [shell("main", script)] });
    await history.waitFor("token-user", phaseIs("Succeeded"), "Succeeded");
    const log = await logOf("token-user");
    expect(log).toMatch(/^kubelet-test$/m);
    // 403, not 401: the token authenticates (as system:serviceaccount:kubelet-test:default, which RBAC does not let list pods).
    expect(log).toMatch(/^status=403$/m);
  });

  it("passes a Secret's values as env and as files", async () => {
    await core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: "app-secret" }, stringData: { password: "hunter2", "app.conf": "mode=strict" } } });
    await createPod("secret-user", {
      volumes: [{ name: "config", secret: { secretName: "app-secret", items: [{ key: "app.conf", path: "settings/app.conf" }] } }],
      containers: [
        shell("main", 'echo "password=$PASSWORD"; echo "prefixed=$SECRET_password"; cat /etc/app/settings/app.conf; echo; echo "expanded=$EXPANDED"', {
          env: [
            { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "app-secret", key: "password" } } },
            { name: "EXPANDED", value: "[$(PASSWORD)]" },
          ],
          envFrom: [{ prefix: "SECRET_", secretRef: { name: "app-secret" } }],
          volumeMounts: [{ name: "config", mountPath: "/etc/app" }],
        }),
      ],
    });
    await history.waitFor("secret-user", phaseIs("Succeeded"), "Succeeded");
    const log = await logOf("secret-user");
    expect(log).toMatch(/^password=hunter2$/m);
    expect(log).toMatch(/^prefixed=hunter2$/m);
    expect(log).toMatch(/^mode=strict$/m);
    expect(log).toMatch(/^expanded=\[hunter2\]$/m);
  });

  it("brings a running pod's Secret volume up to date within 2 s of a change, swapping ..data in one rename", async () => {
    await core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: "rotating" }, stringData: { "access-url": "wss://one", "sidecar.env": "A=1" } } });
    // Inside the container: an inotify watch on the mount, as the sidecar keeps one (operators/sidecar/url-file-grants.ts).
    const watcher = `
const fs = require("fs");
fs.watch("/etc/identity", (event, name) => { if (name === "..data") console.log(event + " ..data: " + fs.readFileSync("/etc/identity/access-url", "utf8")); });
console.log("watching: " + fs.readFileSync("/etc/identity/access-url", "utf8"));`;
    await createPod("rotating-reader", {
      securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 },
      volumes: [{ name: "identity", secret: { secretName: "rotating", defaultMode: 0o440 } }],
      containers: [{ name: "main", image: IMAGE, command: ["node", "-e", watcher], volumeMounts: [{ name: "identity", mountPath: "/etc/identity", readOnly: true }] }],
    });
    await history.waitFor("rotating-reader", phaseIs("Running"), "Running");
    expect(await poll(() => logOf("rotating-reader"), (log) => log.includes("watching: wss://one"), 10_000)).toContain("watching: wss://one");
    const containerId = kubelet.containerOf(NAMESPACE, "rotating-reader")!;
    const readBoth = () => engine.exec(containerId, ["sh", "-c", "cat /etc/identity/..data/access-url; echo; cat /etc/identity/access-url"]);
    expect(await readBoth()).toBe("wss://one\nwss://one");

    const patchedAt = Date.now();
    await core.patchNamespacedSecret({ namespace: NAMESPACE, name: "rotating", body: { stringData: { "access-url": "wss://two" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    expect(await poll(readBoth, (both) => both === "wss://two\nwss://two", 2_000)).toBe("wss://two\nwss://two");
    expect(Date.now() - patchedAt).toBeLessThan(2_000);
    const log = await poll(() => logOf("rotating-reader"), (text) => text.includes("rename ..data: wss://two"), 2_000);
    expect(log).toMatch(/^rename \.\.data: wss:\/\/two$/m);
    // The passes before the change wrote nothing. (A `change` event on ..data with the old content may come first: with
    // fsGroup, the kubelet's ownership walk lchowns the whole volume, the current ..data included, before the swap.)
    expect(log).not.toMatch(/^rename \.\.data: wss:\/\/one$/m);

    // The atomic writer's layout: one timestamped folder (the old one removed), ..data pointing at it, each key a link through ..data.
    const layout = `
const fs = require("fs"), dir = "/etc/identity";
for (const name of fs.readdirSync(dir).sort()) {
  const info = fs.lstatSync(dir + "/" + name);
  console.log(name + " " + (info.isSymbolicLink() ? "-> " + fs.readlinkSync(dir + "/" + name) : info.isDirectory() ? "dir" : "file"));
}
const file = fs.statSync(dir + "/access-url");
console.log("access-url mode=" + (file.mode & 0o7777).toString(8) + " gid=" + file.gid);`;
    const listing = (await engine.exec(containerId, ["node", "-e", layout])).trim().split("\n");
    const dataDir = listing[0]?.split(" ")[0] ?? "";
    expect(dataDir).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$/);
    expect(listing).toEqual([`${dataDir} dir`, `..data -> ${dataDir}`, "access-url -> ..data/access-url", "sidecar.env -> ..data/sidecar.env", "access-url mode=440 gid=2000"]);
  });

  it("holds a pod whose Secret does not exist yet in ContainerCreating, and starts it once the Secret is made", async () => {
    const early = await createPod("early-bird", {
      volumes: [{ name: "identity", secret: { secretName: "early-bird-identity" } }],
      containers: [
        shell("main", 'echo "file=$(cat /etc/identity/token)"; echo "env=$TOKEN"', {
          env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "early-bird-identity", key: "token" } } }],
          volumeMounts: [{ name: "identity", mountPath: "/etc/identity" }],
        }),
      ],
    });
    const readyToStart = (pod: V1Pod) => pod.status?.conditions?.find((condition) => condition.type === "PodReadyToStartContainers")?.status;
    const waiting = await history.waitFor("early-bird", (pod) => readyToStart(pod) === "False" && waitingReason(pod) === "ContainerCreating", "ContainerCreating, volumes not set up");
    expect(waiting.status?.phase).toBe("Pending");
    expect(kubelet.containerOf(NAMESPACE, "early-bird")).toBeUndefined();

    // As the operator makes it: after the pod, owned by it.
    const owner = { apiVersion: "v1", kind: "Pod", name: "early-bird", uid: early.metadata!.uid!, controller: true, blockOwnerDeletion: true };
    await core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: "early-bird-identity", ownerReferences: [owner] }, stringData: { token: "s3cret" } } });
    await history.waitFor("early-bird", phaseIs("Succeeded"), "Succeeded");
    const log = await logOf("early-bird");
    expect(log).toMatch(/^file=s3cret$/m);
    expect(log).toMatch(/^env=s3cret$/m);
  });

  it("returns only the last lines of a log when asked", async () => {
    await createPod("counter", { containers: [shell("main", "for i in 1 2 3 4 5; do echo line-$i; done")] });
    await history.waitFor("counter", phaseIs("Succeeded"), "Succeeded");
    expect(await logOf("counter", 2)).toBe("line-4\nline-5\n");
  });

  it("reports a missing image as ErrImagePull, then ImagePullBackOff", async () => {
    const image = "localhost/discoparrot/does-not-exist:1";
    await createPod("missing-image", { containers: [{ name: "main", image }] });
    const failed = await history.waitFor("missing-image", (pod) => waitingReason(pod) === "ErrImagePull", "ErrImagePull");
    expect(failed.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain(`Failed to pull image "${image}"`);
    const backingOff = await history.waitFor("missing-image", (pod) => waitingReason(pod) === "ImagePullBackOff", "ImagePullBackOff");
    expect(backingOff.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe(`Back-off pulling image "${image}"`);
    expect(backingOff.status?.phase).toBe("Pending");
    expect(backingOff.status?.conditions?.find((condition) => condition.type === "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [main]" });
  });

  it("reports an image reference that cannot parse as InvalidImageName", async () => {
    await createPod("invalid-image", { containers: [{ name: "main", image: "Not/A Valid:image" }] });
    const invalid = await history.waitFor("invalid-image", (pod) => waitingReason(pod) === "InvalidImageName", "InvalidImageName");
    expect(invalid.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain("invalid reference format");
  });

  it("leaves a pod that asks for more memory than the node has unscheduled, saying why", async () => {
    await createPod("too-big", { containers: [shell("main", "true", { resources: { requests: { memory: "64Gi" } } })] });
    const pending = await history.waitFor("too-big", (pod) => pod.status?.conditions?.some((condition) => condition.type === "PodScheduled") ?? false, "PodScheduled condition");
    expect(pending.spec?.nodeName ?? "").toBe("");
    expect(pending.status?.phase).toBe("Pending");
    expect(pending.status?.conditions?.find((condition) => condition.type === "PodScheduled")).toMatchObject({
      status: "False",
      reason: "Unschedulable",
      message: "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    });
  });

  it("restarts a failing container under OnFailure with back-off, and never under Never", async () => {
    await createPod("crashes", { restartPolicy: "OnFailure", containers: [shell("main", "echo crashing; exit 3")] });
    await createPod("fails-once", { restartPolicy: "Never", containers: [shell("main", "exit 3")] });

    const backingOff = await history.waitFor("crashes", (pod) => waitingReason(pod) === "CrashLoopBackOff" && (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2, "CrashLoopBackOff after two restarts");
    const status = backingOff.status!.containerStatuses![0]!;
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(status.state?.waiting?.message).toMatch(/^back-off \d+(\.\d+)?m?s restarting failed container=main pod=crashes_kubelet-test\(.+\)$/);
    expect(backingOff.status?.phase).toBe("Running");

    const failed = await history.waitFor("fails-once", phaseIs("Failed"), "Failed");
    expect(failed.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 3, reason: "Error" } } });
  });

  const oomSkipReason = !memoryControllerPresent()
    ? "this machine's cgroups have no memory controller, so the engine cannot enforce a memory limit"
    : !canReadKernelLog()
      ? "Podman here does not report OOM kills itself, and /dev/kmsg (where the kubelet finds them) is not readable by this process"
      : undefined;
  it.skipIf(oomSkipReason !== undefined)(`reports a container killed at its memory limit as OOMKilled${oomSkipReason ? ` (skipped: ${oomSkipReason})` : ""}`, async () => {
    await createPod("memory-hog", { containers: [shell("main", "x=aaaaaaaa; while :; do x=$x$x; done", { resources: { limits: { memory: "32Mi" } } })] });
    const killed = await history.waitFor("memory-hog", phaseIs("Failed"), "Failed");
    expect(killed.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: "OOMKilled" });
  });

  it("stops and removes a deleted pod's container (SIGTERM first), then deletes the pod", async () => {
    await createPod("long-running", {
      terminationGracePeriodSeconds: 30,
      containers: [shell("main", "trap 'echo terminating; exit 0' TERM; echo started; while :; do sleep 1; done")],
    });
    await history.waitFor("long-running", phaseIs("Running"), "Running");
    const containerId = kubelet.containerOf(NAMESPACE, "long-running")!;
    expect((await engine.docker.getContainer(containerId).inspect()).State.Running).toBe(true);

    await core.deleteNamespacedPod({ namespace: NAMESPACE, name: "long-running", gracePeriodSeconds: 5 });
    await history.waitForDeletion("long-running");
    // It ended on its own trap (exit 0), not on SIGKILL (137), and its container is gone from the engine.
    const last = history.of("long-running").at(-1)!;
    expect(last.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0 });
    await expect(engine.docker.getContainer(containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(core.readNamespacedPod({ namespace: NAMESPACE, name: "long-running" })).rejects.toMatchObject({ code: 404 });
  });

  it("after a restart, adopts the pods still running and removes containers whose pod went while it was down", async () => {
    await createPod("survivor", { containers: [shell("main", "while :; do sleep 1; done")] });
    await createPod("orphan", { containers: [shell("main", "while :; do sleep 1; done")] });
    await history.waitFor("survivor", phaseIs("Running"), "Running");
    await history.waitFor("orphan", phaseIs("Running"), "Running");
    const survivorId = kubelet.containerOf(NAMESPACE, "survivor")!;
    const orphanId = kubelet.containerOf(NAMESPACE, "orphan")!;
    const orphanUid = (await core.readNamespacedPod({ namespace: NAMESPACE, name: "orphan" })).metadata!.uid!;

    await kubelet.stop();
    server.objects.remove("pods", NAMESPACE, "orphan"); // gone for good while no kubelet runs
    kubelet = await startTestKubelet(kubeletOptions());

    await expect(engine.docker.getContainer(orphanId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await readdir(path.join(rootDir, "pods"))).not.toContain(orphanUid);
    expect(kubelet.containerOf(NAMESPACE, "survivor")).toBe(survivorId);
    expect((await engine.docker.getContainer(survivorId).inspect()).State.Running).toBe(true);
    const survivor = await core.readNamespacedPod({ namespace: NAMESPACE, name: "survivor" });
    expect(survivor.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { running: expect.anything() } });
  });
});

/** Reads until `done` holds of what was read or `withinMs` ran out; resolves with the last read either way, for the assertion to show. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function memoryControllerPresent(): boolean {
  if (existsSync("/sys/fs/cgroup/memory")) return true; // cgroup v1
  try {
    return readFileSync("/sys/fs/cgroup/cgroup.controllers", "utf8").split(/\s+/).includes("memory"); // cgroup v2
  } catch {
    return false;
  }
}
