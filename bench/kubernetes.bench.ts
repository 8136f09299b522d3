/**
 * Launch-to-ready on a Kubernetes host, through the whole path — platform → channel → Kubernetes
 * operator (its own process, started from the applied manifest) → test API server → test kubelet
 * binds the pod and runs it on podman → sidecar connects and answers health — beside a cold launch
 * on a Local Docker host in the same run. Launches alternate (Kubernetes, then Docker), so drift
 * over the run weighs on both alike; each Kubernetes launch starts once the previous pod is gone.
 * Where the Kubernetes time goes comes from a watch on the sandbox pods (created, bound, running)
 * and from when the operator's `create` answer arrived (it answers once it sees the pod running).
 * The test cluster runs in this process, next to the platform; only the operator is apart.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { newId, type TSandbox, type TSandboxDefinition } from "@/prisma-free-schema";
import { dockerHandlers } from "../operators/docker/docker-handlers";
import { startTestEngine, TEST_IMAGE } from "../operators/docker/testing/test-engine";
import { kubeClientFor } from "../operators/kubernetes/testing/kubelet/kube-client";
import { PodHistory } from "../operators/kubernetes/testing/kubelet/pod-history";
import { startTestCluster } from "../operators/kubernetes/testing/test-cluster";
import { OperatorChannel } from "../operators/shared/operator-channel";
import { createOperatorLog } from "../operators/shared/operator-log";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { OperatorHostProvider } from "../server/providers/operator-host/operator-host-provider";
import { operatorNamespace } from "../server/services/bundles/operator-namespace";
import { renderKubernetesBundle } from "../server/services/bundles/render-kubernetes-bundle";
import { destroySandbox } from "../server/services/sandboxes/destroy-sandbox";
import { ensureSandbox } from "../server/services/sandboxes/ensure-sandbox";
import type { SandboxDeps } from "../server/services/sandboxes/sandbox-deps";
import { eventually } from "../server/testing/eventually";
import { AS_DEPLOYED, emit, emitLatency, percentile } from "./measure";

const LAUNCHES = 10;
const BENCH = "kubernetes";
const SANDBOX_LABEL = "discoparrot.dev/sandbox-id";
/** A deleted pod gets 5 s of grace from the operator; the kubelet then removes it. */
const POD_GONE_TIMEOUT_MS = 30_000;

export async function run(): Promise<void> {
  // Stopped in reverse, whatever failed: no pod, container or podman service outlives the run.
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const platform = await startPlatformHarness(AS_DEPLOYED);
    stops.push(() => platform.stop());
    const engine = await startTestEngine();
    stops.push(() => engine.stop());
    // One podman service for both hosts (two on one storage have lost containers' state under
    // load), but the kubelet under a host id of its own: the Docker operator lists, syncs and
    // removes what carries its host id, and must never take the kubelet's containers for its own.
    const cluster = await startTestCluster({ engine: { docker: engine.docker, hostId: newId("host") } });
    stops.push(() => cluster.stop());

    const kubernetesHost = await platform.hostWithKey("bench-eks", { kind: "kubernetes" });
    const namespace = operatorNamespace(kubernetesHost.host);
    const bundle = renderKubernetesBundle({ host: kubernetesHost.host, platformUrl: platform.platformUrl, installKey: kubernetesHost.key, keyFingerprint: "sha256:00000000", operatorImage: "localhost/discoparrot/operator:test" });
    await cluster.apply(bundle.content);
    const kubernetesOperator = cluster.startOperator(namespace);

    const dockerHost = await platform.hostWithKey("bench-docker");
    const dockerOperator = new OperatorChannel({
      settings: { platformUrl: platform.platformUrl, hostId: dockerHost.host.id, installKey: dockerHost.key },
      operatorVersion: "bench",
      handlers: dockerHandlers({ engine: engine.engine, sandboxes: engine.sandboxes, pool: engine.pool, operatorVersion: "bench" }),
      health: () => ({}),
      log: createOperatorLog({ level: "error", write: (line) => void process.stderr.write(line) }),
    });
    stops.push(() => dockerOperator.stop());
    void dockerOperator.run();

    // As a person would: launches start once each host shows Registered (and the cluster's health facts ready).
    const kubernetesReady = await eventually(() => platform.host(kubernetesHost.host.id), (h) => h?.status === "registered" && h.health.ready === true, 45_000);
    if (!(kubernetesReady?.status === "registered" && kubernetesReady.health.ready === true)) {
      throw new Error(`the Kubernetes host never became ready: ${JSON.stringify(kubernetesReady?.health)}\noperator's last lines:\n${kubernetesOperator.lines.slice(-20).join("\n")}`);
    }
    const dockerReady = await eventually(() => platform.host(dockerHost.host.id), (h) => h?.status === "registered", 15_000);
    if (dockerReady?.status !== "registered") throw new Error("the Docker host never registered");

    const pods = await PodTimeline.start(kubeClientFor({ url: cluster.server.url, caPem: cluster.server.caPem, token: cluster.server.adminToken }).kubeConfig, namespace);
    stops.push(async () => pods.stop());

    const kubernetes = new OperatorHostProvider(async () => platform.channel.platform, { kind: "kubernetes", createTimeoutMs: 60_000 });
    const docker = new OperatorHostProvider(async () => platform.channel.platform);
    const kubernetesReplies = answerTimes(kubernetes);
    const dockerReplies = answerTimes(docker);
    const deps: SandboxDeps = { store: platform.store, channel: platform.channel.platform, providers: { kubernetes, docker }, readyTimeoutMs: 30_000 };
    const definitionOn = (provider: "kubernetes" | "docker", hostId: string): TSandboxDefinition => ({
      profileId: newId("prof"),
      template: "shell",
      provider,
      hostId,
      ...TEST_IMAGE,
      resourceClass: "small",
      workloadIdentityClientId: null, workloadIdentityTenantId: null,
      persistentWorkspace: false,
      agent: "shell",
    });
    const onKubernetes = definitionOn("kubernetes", kubernetesHost.host.id);
    const onDocker = definitionOn("docker", dockerHost.host.id);

    /** One launch to ready with a fresh owner, timed; then destroyed (not timed). */
    async function launch(definition: TSandboxDefinition): Promise<{ sandbox: TSandbox; startedAt: number; ms: number }> {
      const startedAt = performance.now();
      const { sandbox } = await ensureSandbox(deps, { workspaceId: platform.workspaceId, ownerId: newId("usr"), definition });
      const ms = performance.now() - startedAt;
      await destroySandbox(deps, sandbox, "benchmark");
      return { sandbox, startedAt, ms };
    }
    /** A Kubernetes launch, and where its time went; returns once its pod is gone, so the next one finds the node empty. */
    async function kubernetesLaunch(): Promise<{ ms: number; phases: Phases }> {
      const { sandbox, startedAt, ms } = await launch(onKubernetes);
      await pods.until(sandbox.id, "gone", POD_GONE_TIMEOUT_MS);
      const marks = pods.of(sandbox.id);
      const replied = kubernetesReplies.get(sandbox.id);
      if (marks.created === undefined || marks.bound === undefined || marks.running === undefined || replied === undefined) {
        throw new Error(`launch of ${sandbox.id} left no full trace: ${JSON.stringify({ ...marks, replied })}`);
      }
      const readyAt = startedAt + ms;
      return {
        ms,
        phases: {
          launch_to_pod_created: marks.created - startedAt,
          pod_created_to_bound: marks.bound - marks.created,
          pod_bound_to_running: marks.running - marks.bound,
          pod_running_to_create_answer: replied - marks.running,
          create_answer_to_ready: readyAt - replied,
        },
      };
    }
    async function dockerLaunch(): Promise<{ ms: number; toAnswer: number }> {
      const { sandbox, startedAt, ms } = await launch(onDocker);
      return { ms, toAnswer: dockerReplies.get(sandbox.id)! - startedAt };
    }

    // Warm-up, one of each: image layers in the page cache, JIT, the event handler, the operator's informer.
    await kubernetesLaunch();
    await dockerLaunch();

    const kubernetesMs: number[] = [];
    const dockerMs: number[] = [];
    const dockerToAnswer: number[] = [];
    const dockerAnswerToReady: number[] = [];
    const phases = new Map<keyof Phases, number[]>();
    for (let i = 0; i < LAUNCHES; i += 1) {
      const onCluster = await kubernetesLaunch();
      kubernetesMs.push(onCluster.ms);
      for (const [phase, ms] of Object.entries(onCluster.phases) as Array<[keyof Phases, number]>) phases.set(phase, [...(phases.get(phase) ?? []), ms]);
      const onEngine = await dockerLaunch();
      dockerMs.push(onEngine.ms);
      dockerToAnswer.push(onEngine.toAnswer);
      dockerAnswerToReady.push(onEngine.ms - onEngine.toAnswer);
    }

    const byOrder = (a: number, b: number) => a - b;
    const kubernetesP50 = emitLatency(BENCH, "launch_to_ready", kubernetesMs.sort(byOrder));
    const dockerP50 = emitLatency(BENCH, "docker_cold_launch_to_ready", dockerMs.sort(byOrder));
    emit({ bench: BENCH, metric: "kubernetes_vs_docker_cold_p50", value: kubernetesP50 / dockerP50, unit: "ratio" });
    // Where the Kubernetes time goes (each phase's own p50; they need not add up to the launch's p50).
    for (const [phase, ms] of phases) emit({ bench: BENCH, metric: `${phase}_p50`, value: percentile(ms.sort(byOrder), 50), unit: "ms" });
    // The Docker operator answers after handing the identity (two putArchive calls); its sidecar starts only then.
    emit({ bench: BENCH, metric: "docker_launch_to_create_answer_p50", value: percentile(dockerToAnswer.sort(byOrder), 50), unit: "ms" });
    emit({ bench: BENCH, metric: "docker_create_answer_to_ready_p50", value: percentile(dockerAnswerToReady.sort(byOrder), 50), unit: "ms" });
  } finally {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => void process.stderr.write(`kubernetes bench: cleanup failed: ${String(error)}\n`));
    }
  }
}

interface Phases {
  launch_to_pod_created: number;
  pod_created_to_bound: number;
  pod_bound_to_running: number;
  pod_running_to_create_answer: number;
  create_answer_to_ready: number;
}

/**
 * When each sandbox's `create` was answered by its operator, by sandbox id. Kubernetes' operator
 * answers once its watch shows the pod running, Docker's once the container started; what follows
 * is the sidecar's connect (if not there already) and its health answer.
 */
function answerTimes(provider: OperatorHostProvider): Map<string, number> {
  const answered = new Map<string, number>();
  const create = provider.create.bind(provider);
  provider.create = async (sandbox, accessUrl) => {
    await create(sandbox, accessUrl);
    answered.set(sandbox.id, performance.now());
  };
  return answered;
}

interface PodMarks {
  created?: number;
  bound?: number;
  running?: number;
  gone?: number;
}

/**
 * When each sandbox pod in a namespace was first seen created, bound to the node, running, and
 * gone (performance.now()), as the test kubelet's pod history delivers the watch's events; keyed
 * by sandbox id. The API's own times are to the second, too coarse here. The watch runs in this
 * process beside the API server, so its times are the server's, give or take a loopback hop.
 */
class PodTimeline {
  private readonly marks = new Map<string, PodMarks>();

  private constructor(private readonly history: PodHistory) {
    history.onEvent((type, pod) => {
      const now = performance.now();
      const sandboxId = pod.metadata?.labels?.[SANDBOX_LABEL];
      if (!sandboxId) return;
      const marks = this.marks.get(sandboxId) ?? {};
      this.marks.set(sandboxId, marks);
      marks.created ??= now;
      if (pod.spec?.nodeName) marks.bound ??= now;
      if (pod.status?.phase === "Running") marks.running ??= now;
      if (type === "DELETED") marks.gone ??= now;
    });
  }

  static async start(kubeConfig: KubeConfig, namespace: string): Promise<PodTimeline> {
    return new PodTimeline(await PodHistory.start(kubeConfig, namespace));
  }

  of(sandboxId: string): PodMarks {
    return this.marks.get(sandboxId) ?? {};
  }

  /** Resolves once the sandbox's pod has reached `mark`; rejects after `timeoutMs`. */
  async until(sandboxId: string, mark: keyof PodMarks, timeoutMs: number): Promise<void> {
    await this.history.until(() => (this.of(sandboxId)[mark] === undefined ? undefined : true), `the pod of ${sandboxId} to be ${mark}`, timeoutMs);
  }

  stop(): void {
    this.history.stop();
  }
}
