import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { EngineContext } from "../../docker/start-container";
import { startTestKubeApiServer, type TestKubeApiServer } from "./kube-api";
import { startTestKubelet, type TestKubelet } from "./kubelet";

const run = promisify(execFile);
const OPERATOR_MAIN = path.resolve(__dirname, "../main.ts");
const OPERATOR_SERVICE_ACCOUNT = "discoparrot-operator";

/**
 * A Kubernetes cluster for tests, as far as one can run here: the test API server (the real wire
 * protocol, so the real kubectl and client-node), a test kubelet running its pods as containers on
 * the test engine (podman), the real kubectl with an admin kubeconfig, and the Kubernetes operator
 * started the way the manifest's Deployment starts it: its environment from the manifest's
 * ConfigMap and Secret, in-cluster configuration from its service account's files. Loopback only.
 */
export interface TestCluster {
  server: TestKubeApiServer;
  kubelet: TestKubelet;
  folder: string;
  /** Runs the real kubectl as the cluster's admin; resolves with its stdout (rejects, with stderr, on a non-zero exit). */
  kubectl(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** `kubectl apply -f` of a manifest's text; returns its objects as parsed. */
  apply(manifest: string): Promise<AppliedObject[]>;
  /** `kubectl apply -f <file>` of that very file (a downloaded bundle, say); returns its objects as parsed. */
  applyFile(file: string): Promise<AppliedObject[]>;
  /** Starts the operator as the Deployment in the applied manifest would (its ConfigMap and Secret as env); `env` adds or overrides. */
  startOperator(namespace: string, env?: Record<string, string>): OperatorProcess;
  stop(): Promise<void>;
}

export type AppliedObject = { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string>; stringData?: Record<string, string> };

export interface OperatorProcess {
  child: ChildProcess;
  /** Every line it logged so far. */
  lines: string[];
  /** Resolves with its exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `engine`: the container engine the kubelet runs pods on (the test engine's, in vitest; the e2e
 * run's podman service, in Playwright), which the caller owns and stops.
 */
export async function startTestCluster(options: { engine: Pick<EngineContext, "docker" | "hostId">; imagePullGraceMs?: number }): Promise<TestCluster> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "dp-test-cluster-"));
  const server = await startTestKubeApiServer({ bookmarkIntervalMs: 1_000, version: "v1.30.4" });
  const kubelet = await startTestKubelet({
    apiServer: { url: server.url, caPem: server.caPem, token: server.adminToken },
    engine: options.engine,
    // Its pods' folders in this cluster's folder: kubelets of clusters running side by side never touch each other's.
    rootDir: path.join(folder, "kubelet"),
    serviceAccountToken: (namespace, account) => server.tokenFor(namespace, account),
    registerLogSource: (source) => server.setPodLogSource(source),
    // One node of a fixed size, whatever machine runs the tests: a profile larger than it is unschedulable everywhere.
    capacity: { cpu: "16", memory: "7Gi" },
    backoffBaseMs: 500,
    imagePullGraceMs: options.imagePullGraceMs ?? 1_000,
  });
  const kubeconfig = server.writeKubeconfig(path.join(folder, "kubeconfig"));
  const operators: OperatorProcess[] = [];
  let manifests = 0;

  // Its discovery cache in the cluster's folder too: nothing under ~/.kube.
  const kubectl = (...args: string[]) => run("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", path.join(folder, "kube-cache"), ...args], { timeout: 60_000 });
  const objects = new Map<string, AppliedObject[]>();

  async function applyFile(file: string): Promise<AppliedObject[]> {
    await kubectl("apply", "-f", file);
    const parsed = parseAllDocuments(fs.readFileSync(file, "utf8")).map((document) => document.toJSON() as AppliedObject);
    for (const object of parsed) if (object.kind === "Namespace") objects.set(object.metadata.name, parsed);
    return parsed;
  }

  return {
    server,
    kubelet,
    folder,
    kubectl,
    async apply(manifest) {
      manifests += 1;
      const file = path.join(folder, `manifest-${manifests}.yaml`);
      fs.writeFileSync(file, manifest);
      return applyFile(file);
    },
    applyFile,
    startOperator(namespace, env = {}) {
      const applied = objects.get(namespace) ?? [];
      const fromManifest: Record<string, string> = {};
      for (const object of applied) {
        if (object.kind === "ConfigMap") Object.assign(fromManifest, object.data);
        if (object.kind === "Secret") Object.assign(fromManifest, object.stringData);
      }
      const root = path.join(folder, `operator-${namespace}-${operators.length}`);
      server.writeServiceAccountFiles(path.join(root, "var/run/secrets/kubernetes.io/serviceaccount"), namespace, OPERATOR_SERVICE_ACCOUNT);
      const childEnv: Record<string, string | undefined> = {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          ...fromManifest,
          ...server.inClusterEnv(),
          DISCOPARROT_SERVICE_ACCOUNT_ROOT: root,
          DISCOPARROT_LOG_LEVEL: "debug",
          ...env,
      };
      const child = spawn(process.execPath, ["--import", "tsx", OPERATOR_MAIN], { env: childEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
      const lines: string[] = [];
      const collect = (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      child.stdout!.on("data", collect);
      child.stderr!.on("data", collect);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const operator: OperatorProcess = {
        child,
        lines,
        exited,
        async stop(signal = "SIGTERM") {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      };
      operators.push(operator);
      return operator;
    },
    async stop() {
      await Promise.all(operators.map((operator) => operator.stop("SIGKILL")));
      await kubelet.stop({ removeContainers: true });
      await server.close();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
