import { notReadyReason, type THealthFacts } from "@/prisma-free-schema";
import { OperatorChannel } from "../shared/operator-channel";
import { OPERATOR_EXIT, readOperatorStart, runOperatorChannel } from "../shared/operator-program";
import { programLog, runProgram } from "../shared/program";
import { type Cluster, connectToCluster } from "./cluster";
import { clusterHealth } from "./cluster-health";
import { kubernetesHandlers } from "./kubernetes-handlers";
import { readKubernetesSettings } from "./kubernetes-settings";
import { hostSelector } from "./pod-manifest";
import { PodWatch } from "./pod-watch";
import { SandboxPods } from "./sandbox-pods";

/**
 * The Kubernetes operator as a program, what the downloaded manifest's Deployment runs:
 * `node --import tsx operators/kubernetes/main.ts [--bundle <manifest>]`. Settings as
 * `operators/main.ts` reads them (the manifest's Secret and ConfigMap, as environment), plus
 * KUBERNETES_OPERATOR_ENV's. It talks to the cluster with its pod's service account (in-cluster
 * configuration), or KUBECONFIG when set. A cluster it cannot reach, or a Role that lacks a verb,
 * does not stop it: it checks in not ready, saying why, and the host page shows it. Exit codes:
 *
 *   0  stopped by SIGINT / SIGTERM
 *   1  an unexpected failure
 *   2  bad arguments or settings (no in-cluster configuration and no KUBECONFIG, among them)
 *   3  the platform rejected the install key: download a new bundle
 */
const log = programLog();

async function main(): Promise<number> {
  const start = await readOperatorStart(log, "npm run operator:kubernetes -- [--bundle <manifest>]");
  if (!start) return OPERATOR_EXIT.badSettings;
  const { env, settings, operatorVersion } = start;
  const read = readKubernetesSettings(env);
  if (!read.ok) {
    log.error(`invalid operator setting ${read.problem}`);
    return OPERATOR_EXIT.badSettings;
  }
  const kube = read.settings;
  const hostLog = log.child({ hostId: settings.hostId, hostName: settings.hostName, namespace: kube.namespace });

  let cluster: Cluster;
  try {
    cluster = connectToCluster({ namespace: kube.namespace, kubeconfig: env.KUBECONFIG?.trim() || undefined, serviceAccountRoot: kube.serviceAccountRoot });
  } catch (error) {
    hostLog.error(`no cluster configuration: not in a pod (KUBERNETES_SERVICE_HOST and the service-account files) and no KUBECONFIG: ${(error as Error).message}`);
    return OPERATOR_EXIT.badSettings;
  }

  const pods = new PodWatch(cluster, hostSelector(settings.hostId), hostLog);
  const sandboxes = new SandboxPods(cluster, pods, {
    hostId: settings.hostId,
    sandboxServiceAccount: kube.sandboxServiceAccount,
    graces: { imagePullMs: kube.imagePullGraceSeconds * 1000, unschedulableMs: kube.unschedulableGraceSeconds * 1000 },
    createDeadlineMs: kube.podStartTimeoutSeconds * 1000,
    log: hostLog,
  });
  // The last facts checked (at every check-in and health request): what a launch is refused by when they say not ready.
  let lastHealth: THealthFacts | undefined;
  const health = async () => (lastHealth = await clusterHealth(cluster, { podCount: async () => (await sandboxes.list()).length }));

  hostLog.info("kubernetes operator starting", { operatorVersion });
  await health();
  if (notReadyReason(lastHealth)) hostLog.warn("the host is not ready", { reason: notReadyReason(lastHealth) });
  pods.start();
  const channel = new OperatorChannel({
    settings,
    operatorVersion,
    health,
    handlers: kubernetesHandlers({ sandboxes, health, readiness: () => notReadyReason(lastHealth), operatorVersion }),
    log: hostLog,
  });
  try {
    // A dropped connection never touches running pods: they are the customer's compute, and the platform reconciles when it is back.
    return await runOperatorChannel(hostLog, channel);
  } finally {
    await pods.stop();
  }
}

runProgram("kubernetes operator", log, main);
