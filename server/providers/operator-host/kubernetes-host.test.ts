import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { THost, TRun, TRunEvent } from "@/prisma-free-schema";
import { startTestEngine, TEST_IMAGE, type TestEngine } from "@/operators/docker/testing/test-engine";
import { type OperatorProcess, startTestCluster, type TestCluster } from "@/operators/kubernetes/testing/test-cluster";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { type PlatformHarness, startPlatformHarness } from "../../channel/testing/platform-harness";
import { operatorNamespace } from "../../services/bundles/operator-namespace";
import { renderKubernetesBundle } from "../../services/bundles/render-kubernetes-bundle";
import { listRunEvents } from "../../services/events/list-run-events";
import { startRun } from "../../services/runs/start-run";
import type { SandboxDeps } from "../../services/sandboxes/sandbox-deps";
import { hostStore } from "../../store/host-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { eventually } from "../../testing/eventually";
import { profileSettings } from "../../testing/hosts-fixtures";
import { OperatorHostProvider } from "./operator-host-provider";

/**
 * Runs on a Kubernetes host, end to end as far as this machine allows: the platform and its
 * channel; the manifest a person downloads, applied with the real kubectl to the test API server;
 * the Kubernetes operator started from that manifest's Secret and ConfigMap with in-cluster
 * configuration; pods the test kubelet runs as real containers with the real sidecar. What a
 * cluster admin and a person running work would check: the host's health facts, the pod's
 * hardening, why a launch failed, that an operator restart or a watch cut loses nothing, workload
 * identity only where asked, and a Role missing a verb refusing launches.
 */
let engine: TestEngine;
let cluster: TestCluster;
let platform: PlatformHarness;
let operator: OperatorProcess;
let deps: SandboxDeps;
let host: THost;
let namespace: string;

const IDENTITY = { clientId: "5b3f3ad6-7c35-4a4e-9d53-3b1e2f0c9a11", tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47" };

beforeAll(async () => {
  engine = await startTestEngine();
  cluster = await startTestCluster({ engine: engine.engine });
  platform = await startPlatformHarness();
  const registered = await platform.hostWithKey("test-eks", { kind: "kubernetes", workloadIdentity: true });
  host = registered.host;
  namespace = operatorNamespace(host);
  const bundle = renderKubernetesBundle({ host, platformUrl: platform.platformUrl, installKey: registered.key, keyFingerprint: "sha256:00000000", operatorImage: "localhost/discoparrot/operator:test" });
  await cluster.apply(bundle.content);
  operator = cluster.startOperator(namespace, { DISCOPARROT_IMAGE_PULL_GRACE_SECONDS: "2", DISCOPARROT_UNSCHEDULABLE_GRACE_SECONDS: "2" });
  await eventually(() => platform.host(host.id), (h) => h?.status === "registered" && h.health.ready === true, 45_000);
  deps = {
    store: platform.store,
    channel: platform.channel.platform,
    providers: { kubernetes: new OperatorHostProvider(async () => platform.channel.platform, { kind: "kubernetes", createTimeoutMs: 60_000 }) },
    readyTimeoutMs: 30_000,
  };
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
  await platform?.stop();
  await engine?.stop();
}, 60_000);

async function profileOnHost(name: string, overrides: Parameters<typeof profileSettings>[0] extends infer S ? Partial<S> : never = {}): Promise<string> {
  const created = await platform.owner.ownerCaller.profiles.create({
    workspaceId: platform.workspaceId,
    ...profileSettings({ name, hostChoice: { kind: "host", hostId: host.id }, image: TEST_IMAGE.image, tag: TEST_IMAGE.tag, resourceClass: "small", runtimeFamilies: ["node"], ...overrides }),
  });
  return created.id;
}

async function runOn(profileId: string, input: string): Promise<TRun> {
  const access = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
  const { run, started } = await startRun(deps, { actor: platform.owner.owner, access, profileId, input });
  await started;
  return run;
}
const readRun = async (runId: string) => (await runStore(platform.store).get(platform.workspaceId, runId))!;
const settled = (run: TRun | undefined) => run?.status === "idle";
const events = (runId: string) => listRunEvents({ store: platform.store, runId, afterSeq: 0, limit: 1000 });
const outputOf = (all: TRunEvent[]) => all.map((event) => (event.kind === "output" ? event.text : "")).join("");
const sandboxPods = () => cluster.server.objects.list("pods", namespace).filter((pod) => pod.metadata.labels?.["discoparrot.dev/sandbox-id"]);

describe("a Kubernetes host", () => {
  it("registers from its manifest with the cluster's health facts, and installs nothing that listens", async () => {
    const { stdout } = await cluster.kubectl("get", "svc,ingress", "-n", namespace);
    expect(stdout.trim()).toBe("");
    const registered = (await hostStore(platform.store).get(platform.workspaceId, host.id))!;
    expect(registered.health).toMatchObject({ ready: true, clusterApi: "reachable", kubernetesVersion: "v1.30.4", namespace, namespaceOwned: true, rbac: "sufficient", channel: "connected" });
  });

  it("runs a turn in a hardened pod the operator made: uid 1000, no capabilities, no escalation, no API token; its identity Secret owned by the pod", async () => {
    const run = await runOn(await profileOnHost("On test-eks"), [
      "echo from kubernetes",
      'while read -r line; do case "$line" in Uid:*|CapEff:*|NoNewPrivs:*) echo "$line";; esac; done < /proc/self/status',
      "ls /var/run/secrets/kubernetes.io/serviceaccount 2>/dev/null && echo token-mounted || echo no-token",
      '[ -z "${AZURE_CLIENT_ID:-}${AZURE_FEDERATED_TOKEN_FILE:-}" ] && echo no-azure-identity || echo "azure identity $AZURE_CLIENT_ID"',
    ].join("; "));
    const done = await eventually(() => readRun(run.id), settled, 60_000);
    expect(done).toMatchObject({ failure: null, lastTurn: { outcome: "succeeded" }, placement: { provider: "kubernetes", hostId: host.id } });
    const output = outputOf(await events(run.id));
    expect(output).toContain("from kubernetes");
    expect(output).toMatch(/Uid:\s+1000/);
    expect(output).toMatch(/CapEff:\s+0+\n/);
    expect(output).toMatch(/NoNewPrivs:\s+1/);
    expect(output).toContain("no-token");
    expect(output).toContain("no-azure-identity");

    const pod = cluster.server.objects.get("pods", namespace, `dp-${done.sandboxId!.replace("_", "-")}`)!;
    const spec = pod.spec as { automountServiceAccountToken: boolean; serviceAccountName: string; securityContext: object; containers: Array<{ securityContext: object; resources: object }>; volumes: Array<{ name: string; emptyDir?: object }> };
    expect(pod.metadata.labels).toMatchObject({ "discoparrot.dev/host-id": host.id, "discoparrot.dev/sandbox-id": done.sandboxId });
    expect(pod.metadata.labels?.["azure.workload.identity/use"]).toBeUndefined();
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe("discoparrot-sandbox");
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(spec.containers[0]!.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
    expect(spec.containers[0]!.resources).toMatchObject({ limits: { cpu: "500m", memory: "1024Mi" } });
    expect(spec.volumes.find((volume) => volume.name === "workspace")?.emptyDir).toBeDefined();
    const secret = cluster.server.objects.get("secrets", namespace, `dp-${done.sandboxId!.replace("_", "-")}-identity`)!;
    expect(secret.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "Pod", uid: pod.metadata.uid })]);
  }, 120_000);

  it("gives each run a clean pod of its own: nothing one run wrote is in the next one's workspace", async () => {
    const profileId = await profileOnHost("Clean pods");
    const first = await runOn(profileId, "echo mine > note.txt; ls");
    const firstDone = await eventually(() => readRun(first.id), settled, 60_000);
    const second = await runOn(profileId, "ls -A; echo listed");
    const secondDone = await eventually(() => readRun(second.id), settled, 60_000);
    expect(firstDone.failure).toBeNull();
    expect(secondDone.failure).toBeNull();
    expect(secondDone.sandboxId).not.toBe(firstDone.sandboxId);
    expect(outputOf(await events(first.id))).toContain("note.txt");
    expect(outputOf(await events(second.id))).toBe("listed\n");
  }, 120_000);

  it("refreshes a pod's channel access though its Secret mount is read-only: the sidecar keeps the URL, the operator puts it in the Secret, and the run goes on", async () => {
    const run = await runOn(await profileOnHost("Refreshed"), "echo before");
    const done = await eventually(() => readRun(run.id), settled, 60_000);
    const secretName = `dp-${done.sandboxId!.replace("_", "-")}-identity`;
    const urlInSecret = () => Buffer.from((cluster.server.objects.get("secrets", namespace, secretName)!.data as Record<string, string>)["access-url"]!, "base64").toString().trim();
    const before = urlInSecret();

    const soon = new Date(Date.now() + 60_000).toISOString();
    await sandboxStore(platform.store).update(platform.workspaceId, done.sandboxId!, (sandbox) => ({ ...sandbox, tokenExpiresAt: soon }));
    const { tendSandboxes } = await import("../../services/sandboxes/tend-sandboxes");
    expect((await tendSandboxes(deps, new Date(Date.now() + 30_000))).refreshed).toBeGreaterThanOrEqual(1);
    await eventually(async () => urlInSecret(), (url) => url !== before && /^wss?:\/\//.test(url), 10_000);

    const access = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
    const { sendTurn } = await import("../../services/runs/send-turn");
    await (await sendTurn(deps, { actor: platform.owner.owner, access, runId: run.id, input: "echo after" })).started;
    expect(await eventually(() => readRun(run.id), (current) => settled(current) && current?.lastTurn?.turn === 2, 60_000)).toMatchObject({ failure: null, lastTurn: { outcome: "succeeded" } });
    // Its pod goes with it: the test node has room for only so many.
    const { endRun } = await import("../../services/runs/end-run");
    await endRun(deps, { actor: platform.owner.owner, access, runId: run.id });
    await eventually(async () => sandboxPods().map((pod) => pod.metadata.name), (names) => !names.includes(`dp-${done.sandboxId!.replace("_", "-")}`), 30_000);
  }, 120_000);

  it("fails a launch whose image is missing, whose image name is invalid, or that no node can take, saying which, and leaves no pod", async () => {
    const missing = await runOn(await profileOnHost("Missing image", { image: "localhost/discoparrot/not-there" }), "echo never");
    const invalid = await runOn(await profileOnHost("Invalid image", { image: "localhost/discoparrot:bad:name" }), "echo never");
    const [missingRun, invalidRun] = await Promise.all([eventually(() => readRun(missing.id), settled, 60_000), eventually(() => readRun(invalid.id), settled, 60_000)]);
    expect(missingRun).toMatchObject({ lastTurn: { outcome: "failed" }, failure: expect.stringMatching(/image localhost\/discoparrot\/not-there:test could not be pulled .*ImagePullBackOff|image localhost\/discoparrot\/not-there:test could not be pulled .*ErrImagePull/) });
    expect(invalidRun).toMatchObject({ lastTurn: { outcome: "failed" }, failure: expect.stringMatching(/image name localhost\/discoparrot:bad:name:test is not valid/) });
    // Larger than the test cluster's one node (7 GiB): the scheduler's words, once the grace has passed.
    const tooBig = await runOn(await profileOnHost("Too big", { resourceClass: "xlarge" }), "echo never");
    const tooBigRun = await eventually(() => readRun(tooBig.id), settled, 60_000);
    expect(tooBigRun).toMatchObject({ lastTurn: { outcome: "failed" }, failure: expect.stringMatching(/no node in the cluster could take it for 2 s: 0\/1 nodes are available: 1 Insufficient memory/) });
    const failedSandboxes = new Set([missingRun.sandboxId, invalidRun.sandboxId, tooBigRun.sandboxId].filter(Boolean));
    await eventually(async () => sandboxPods().filter((pod) => failedSandboxes.has(pod.metadata.labels?.["discoparrot.dev/sandbox-id"] as string)), (left) => left.length === 0, 15_000);
  }, 120_000);

  it("gives a profile with a workload identity the annotated service account and the labelled pod, and Azure's token; a profile without gets neither", async () => {
    const run = await runOn(await profileOnHost("With identity", { workloadIdentity: IDENTITY }), 'echo "identity ${AZURE_CLIENT_ID:-none} ${AZURE_TENANT_ID:-none} ${AZURE_FEDERATED_TOKEN_FILE:-none}"');
    const done = await eventually(() => readRun(run.id), settled, 60_000);
    expect(done.failure).toBeNull();
    expect(outputOf(await events(run.id))).toContain(`identity ${IDENTITY.clientId} ${IDENTITY.tenantId} /var/run/secrets/azure/tokens/azure-identity-token`);
    const pod = cluster.server.objects.get("pods", namespace, `dp-${done.sandboxId!.replace("_", "-")}`)!;
    expect(pod.metadata.labels).toMatchObject({ "azure.workload.identity/use": "true" });
    const accountName = (pod.spec as { serviceAccountName: string }).serviceAccountName;
    expect(accountName).toBe(`dp-wi-${IDENTITY.clientId}`);
    const account = cluster.server.objects.get("serviceaccounts", namespace, accountName)!;
    expect(account.metadata.annotations).toMatchObject({ "azure.workload.identity/client-id": IDENTITY.clientId, "azure.workload.identity/tenant-id": IDENTITY.tenantId });
    // Only the one identity's account was made: the sandboxes without one share the manifest's, which has none.
    const accounts = cluster.server.objects.list("serviceaccounts", namespace).map((candidate) => candidate.metadata.name);
    expect(accounts.filter((name) => name?.startsWith("dp-wi-"))).toEqual([accountName]);
    expect(cluster.server.objects.get("serviceaccounts", namespace, "discoparrot-sandbox")?.metadata.annotations?.["azure.workload.identity/client-id"]).toBeUndefined();
    // The host page gives the admin the federated credential to create: this account as subject, the audience, the cluster's issuer.
    const credentials = await platform.owner.ownerCaller.hosts.workloadIdentities({ workspaceId: platform.workspaceId, hostId: host.id });
    expect(credentials).toMatchObject({
      enabled: true,
      audience: "api://AzureADTokenExchange",
      issuer: "https://kubernetes.default.svc.cluster.local",
      identities: [{ clientId: IDENTITY.clientId, tenantId: IDENTITY.tenantId, subject: `system:serviceaccount:${namespace}:${accountName}`, profiles: [{ name: "With identity" }] }],
    });
  }, 120_000);

  it("an operator restarted mid-turn finds its pod again: the turn finishes with no event lost, and the next turn runs in the same pod", async () => {
    const profileId = await profileOnHost("Long turns");
    const run = await runOn(profileId, "for i in 1 2 3 4 5 6 7 8; do echo line $i; sleep 0.4; done");
    await eventually(() => events(run.id), (all) => outputOf(all).includes("line 2"), 60_000);
    const podName = `dp-${(await readRun(run.id)).sandboxId!.replace("_", "-")}`;
    const uid = cluster.server.objects.get("pods", namespace, podName)?.metadata.uid;
    expect(uid).toBeDefined();
    expect(await operator.stop("SIGTERM")).toBe(0);
    operator = cluster.startOperator(namespace, { DISCOPARROT_IMAGE_PULL_GRACE_SECONDS: "2", DISCOPARROT_UNSCHEDULABLE_GRACE_SECONDS: "2" });
    const done = await eventually(() => readRun(run.id), settled, 60_000);
    expect(done).toMatchObject({ failure: null, lastTurn: { outcome: "succeeded" } });
    const all = await events(run.id);
    expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index + 1));
    expect(outputOf(all)).toBe("line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n");
    await eventually(() => platform.host(host.id), (h) => h?.status === "registered", 30_000);
    expect(cluster.server.objects.get("pods", namespace, podName)?.metadata.uid).toBe(uid);
    const access = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
    const { sendTurn } = await import("../../services/runs/send-turn");
    const next = await sendTurn(deps, { actor: platform.owner.owner, access, runId: run.id, input: "echo again" });
    await next.started;
    const after = await eventually(() => readRun(run.id), settled, 60_000);
    expect(after).toMatchObject({ failure: null, sandboxId: done.sandboxId, lastTurn: { turn: 2, outcome: "succeeded" } });
    expect(cluster.server.objects.get("pods", namespace, podName)?.metadata.uid).toBe(uid);
  }, 180_000);

  it("survives its watch being cut and the API server forgetting the history (410 Gone): a pod deleted behind its back is seen gone, and the next launch runs", async () => {
    const run = await runOn(await profileOnHost("Watched"), "echo waiting; sleep 60");
    await eventually(() => events(run.id), (all) => outputOf(all).includes("waiting"), 60_000);
    const sandbox = (await sandboxStore(platform.store).get(platform.workspaceId, (await readRun(run.id)).sandboxId!))!;
    cluster.server.compact();
    cluster.server.dropWatches();
    await cluster.kubectl("delete", "pod", `dp-${sandbox.id.replace("_", "-")}`, "-n", namespace, "--grace-period=1", "--wait=true");
    // The operator's view (its informer's cache, re-listed after the 410) says the pod is gone.
    const provider = deps.providers.kubernetes!;
    expect((await eventually(() => provider.inspect(sandbox), (inspection) => inspection.state === "missing", 20_000)).state).toBe("missing");
    // The turn ended (its sidecar was told to stop, and says so), and a launch after the cut runs.
    await eventually(() => readRun(run.id), settled, 20_000);
    const next = await runOn(await profileOnHost("After the cut"), "echo after the cut");
    const done = await eventually(() => readRun(next.id), settled, 60_000);
    expect(done).toMatchObject({ failure: null, lastTurn: { outcome: "succeeded" } });
    expect(outputOf(await events(next.id))).toBe("after the cut\n");
  }, 120_000);

  it("a Role missing a verb shows on the host and refuses launches with the reason, until it is granted again", async () => {
    const original = cluster.server.objects.get("roles.rbac.authorization.k8s.io", namespace, "discoparrot-operator")!;
    const rules = (original as unknown as { rules: Array<{ resources: string[]; verbs: string[] }> }).rules;
    cluster.server.objects.put({ ...original, rules: rules.map((rule) => (rule.resources.includes("pods") ? { ...rule, verbs: rule.verbs.filter((verb) => verb !== "create") } : rule)) } as typeof original);
    const notReady = await eventually(() => platform.host(host.id), (h) => h?.health.ready === false, 40_000);
    expect(notReady?.health).toMatchObject({ rbac: "missing: create pods", notReady: expect.stringMatching(/does not grant create pods/) });
    const resolution = await platform.owner.ownerCaller.profiles.resolve({ workspaceId: platform.workspaceId, profileId: await profileOnHost("Refused") });
    expect(resolution).toMatchObject({ ok: false, reason: "host_not_ready", message: expect.stringMatching(/cannot launch sandboxes: .*does not grant create pods/) });
    cluster.server.objects.put({ ...original, metadata: { ...original.metadata, resourceVersion: undefined } } as typeof original);
    await eventually(() => platform.host(host.id), (h) => h?.health.ready === true, 40_000);
  }, 120_000);

  it("deleting the host stops new pods and leaves the running one to finish its turn; when its run ends the pod ends itself", async () => {
    const profileId = await profileOnHost("Until deleted");
    const run = await runOn(profileId, "echo still here; sleep 2; echo finished");
    await eventually(() => events(run.id), (all) => outputOf(all).includes("still here"), 60_000);
    await platform.owner.ownerCaller.hosts.delete({ workspaceId: platform.workspaceId, hostId: host.id, force: true });
    const done = await eventually(() => readRun(run.id), settled, 30_000);
    expect(done).toMatchObject({ failure: null, lastTurn: { outcome: "succeeded" } });
    expect(outputOf(await events(run.id))).toBe("still here\nfinished\n");
    const podName = `dp-${done.sandboxId!.replace("_", "-")}`;
    expect(cluster.server.objects.get("pods", namespace, podName)).toBeDefined();
    expect(await platform.owner.ownerCaller.profiles.resolve({ workspaceId: platform.workspaceId, profileId })).toMatchObject({ ok: false, reason: "host_deleted" });
    // Its run ends: no operator can remove the pod now, so its sidecar is told to stop, and the pod finishes on its own, its capacity given back.
    await platform.owner.ownerCaller.runs.end({ workspaceId: platform.workspaceId, runId: run.id });
    const finished = await eventually(async () => cluster.server.objects.get("pods", namespace, podName), (pod) => (pod?.status as { phase?: string } | undefined)?.phase === "Succeeded", 30_000);
    expect((finished?.status as { phase: string }).phase).toBe("Succeeded");
    expect((await sandboxStore(platform.store).get(platform.workspaceId, done.sandboxId!))?.status).toBe("destroyed");
  }, 90_000);
});
