import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  Watch,
  type V1Pod,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sampleBundleSettings } from "@/server/services/bundles/bundle-settings.fixture";
import { renderKubernetesBundle } from "@/server/services/bundles/render-kubernetes-bundle";
import { startTestKubeApiServer, type TestKubeApiServer } from "./index";

/**
 * The real kubectl (/usr/bin/kubectl) and the real @kubernetes/client-node against the test API
 * server, over TLS on loopback. kubectl gets its own HOME and cache dir: ~/.kube is never touched.
 */

let server: TestKubeApiServer;
let dir: string;
let admin: KubeConfig;

beforeAll(async () => {
  // 1.32: the kubectl on this machine dispatches to the release matching the server's minor version.
  server = await startTestKubeApiServer({ version: "v1.32.0", bookmarkIntervalMs: 200 });
  dir = mkdtempSync(path.join(os.tmpdir(), "kube-api-test-"));
  admin = kubeConfigFor(server.adminToken);
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function kubeConfigFor(token: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(server.writeKubeconfig(path.join(dir, `kubeconfig-${token.slice(0, 12)}`), token));
  return config;
}

function kubectl(args: string[], token = server.adminToken): Promise<{ code: number; stdout: string; stderr: string }> {
  const kubeconfig = server.writeKubeconfig(path.join(dir, `kubectl-${token.slice(0, 12)}`), token);
  return new Promise((resolve) => {
    execFile("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", path.join(dir, "cache"), ...args], { env: { ...process.env, HOME: dir }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function createNamespace(name: string): Promise<string> {
  await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

/** Polls until `check` stops throwing (what a person would wait on), failing after `ms`. */
async function eventually<T>(check: () => T | Promise<T>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The Status a failed client-node call carried. */
async function statusOf(call: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiException);
  const body = (error as ApiException<string>).body;
  return typeof body === "string" ? JSON.parse(body) : body;
}

const pod = (name: string, labels: Record<string, string> = {}, spec: Partial<V1Pod["spec"]> = {}): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: "main", image: "busybox:1.36" }], ...spec },
});

describe("kubectl", () => {
  const bundle = renderKubernetesBundle(sampleBundleSettings("kubernetes"));
  const namespace = "discoparrot-prod-eks";
  const operator = `system:serviceaccount:${namespace}:discoparrot-operator`;

  beforeAll(() => writeFileSync(path.join(dir, bundle.filename), bundle.content));

  it("shows the server's version", async () => {
    const { code, stdout } = await kubectl(["version"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Server Version: v1.32.0");
  });

  it("applies the operator bundle, and a second apply changes nothing", async () => {
    const first = await kubectl(["apply", "-f", path.join(dir, bundle.filename)]);
    expect(first.stderr).toBe("");
    expect(first.stdout.trim().split("\n")).toEqual([
      `namespace/${namespace} created`,
      "serviceaccount/discoparrot-operator created",
      "serviceaccount/discoparrot-sandbox created",
      "role.rbac.authorization.k8s.io/discoparrot-operator created",
      "rolebinding.rbac.authorization.k8s.io/discoparrot-operator created",
      "networkpolicy.networking.k8s.io/discoparrot-sandboxes created",
      "secret/discoparrot-operator-install-key created",
      "configmap/discoparrot-operator-settings created",
      "deployment.apps/discoparrot-operator created",
    ]);
    const second = await kubectl(["apply", "-f", path.join(dir, bundle.filename)]);
    expect(second.code).toBe(0);
    // A Secret written with stringData always reads "configured": the server stores it as data (kubernetes#87736).
    expect(second.stdout).toContain("secret/discoparrot-operator-install-key configured");
    expect(second.stdout).toContain("deployment.apps/discoparrot-operator unchanged");
    const secret = server.objects.get("secrets", namespace, "discoparrot-operator-install-key")!;
    expect(secret.stringData).toBeUndefined();
    expect(Buffer.from((secret.data as Record<string, string>).DISCOPARROT_INSTALL_KEY!, "base64").toString()).toBe("opk_FAKEfake0123456789abcdef");
  });

  it("applies a changed pod template as a strategic merge patch", async () => {
    const fresh = renderKubernetesBundle(sampleBundleSettings("kubernetes", { installKey: "opk_FRESHfresh9876543210", keyFingerprint: "sha256:ffee0011" }));
    writeFileSync(path.join(dir, "fresh.yaml"), fresh.content);
    const { code, stdout } = await kubectl(["apply", "-f", path.join(dir, "fresh.yaml")]);
    expect(code).toBe(0);
    expect(stdout).toContain("deployment.apps/discoparrot-operator configured");
    const deployment = server.objects.get("deployments.apps", namespace, "discoparrot-operator")!;
    expect(deployment.metadata.generation).toBe(2);
    const template = (deployment.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { containers: unknown[] } } }).template;
    expect(template.metadata.annotations["discoparrot.dev/install-key-fingerprint"]).toBe("sha256:ffee0011");
    expect(template.spec.containers).toHaveLength(1);

    // A strategic merge patch merges containers and env by name: the image stays.
    const patch = { spec: { template: { spec: { containers: [{ name: "operator", env: [{ name: "EXTRA", value: "1" }] }] } } } };
    expect((await kubectl(["patch", "deployment", "discoparrot-operator", "-n", namespace, "-p", JSON.stringify(patch)])).code).toBe(0);
    const patched = server.objects.get("deployments.apps", namespace, "discoparrot-operator")!;
    const [container] = (patched.spec as { template: { spec: { containers: Array<{ image: string; env: unknown[]; envFrom: unknown[] }> } } }).template.spec.containers;
    expect(container).toMatchObject({ image: "ghcr.io/discoparrot/operator:0.1.0", env: [{ name: "EXTRA", value: "1" }] });
    expect(container?.envFrom).toHaveLength(2);
  });

  it("prints nothing for the services and ingresses the bundle promises not to create", async () => {
    const { code, stdout, stderr } = await kubectl(["get", "svc,ingress", "-n", namespace]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain(`No resources found in ${namespace} namespace.`);
  });

  it("lists pods as JSON, reads their logs and deletes them", async () => {
    server.setPodLogSource(async (_namespace, name, container, { tailLines }) => `${name}/${container} last ${tailLines} lines\n`);
    await admin.makeApiClient(CoreV1Api).createNamespacedPod({ namespace, body: pod("box", { app: "box" }) });
    const listed = await kubectl(["get", "pods", "-n", namespace, "-l", "app=box", "-o", "json"]);
    expect(JSON.parse(listed.stdout).items.map((item: V1Pod) => [item.metadata?.name, item.status?.phase])).toEqual([["box", "Pending"]]);
    expect((await kubectl(["logs", "box", "-n", namespace, "--tail", "3"])).stdout).toBe("box/main last 3 lines\n");
    // Unscheduled, so no kubelet has to finish it: it goes at once and kubectl's wait ends.
    const deleted = await kubectl(["delete", "pod", "box", "-n", namespace]);
    expect(deleted.stdout.trim()).toBe('pod "box" deleted');
    expect(server.objects.get("pods", namespace, "box")).toBeUndefined();
  });

  it("answers can-i from the bundle's Role for the service account's own kubeconfig, and for --as", async () => {
    const token = server.tokenFor(namespace, "discoparrot-operator");
    expect(await kubectl(["auth", "can-i", "create", "pods", "-n", namespace], token)).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(await kubectl(["auth", "can-i", "get", "secrets", "-n", namespace], token)).toMatchObject({ code: 1, stdout: "no\n" });
    // What the seed promises the operator never gets: reading Secrets, exec into pods.
    expect(await kubectl(["auth", "can-i", "create", "pods", "--subresource=exec", "-n", namespace], token)).toMatchObject({ code: 1, stdout: "no\n" });
    expect(await kubectl(["auth", "can-i", "create", "pods", "-n", namespace, "--as", operator])).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(await kubectl(["auth", "can-i", "create", "pods", "-n", "default", "--as", operator])).toMatchObject({ code: 1, stdout: "no\n" });
    const refused = await kubectl(["get", "secrets", "-n", namespace], token);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Error from server (Forbidden): secrets is forbidden: User "${operator}" cannot list resource "secrets" in API group "" in the namespace "${namespace}"`);
  });

  it("deletes the bundle, namespace first, as on a real cluster", async () => {
    const { code, stdout } = await kubectl(["delete", "-f", path.join(dir, bundle.filename)]);
    expect(code).toBe(0);
    expect(stdout).toContain(`namespace "${namespace}" deleted`);
    expect(stdout).toContain('deployment.apps "discoparrot-operator" deleted');
    await eventually(() => expect(server.objects.get("namespaces", undefined, namespace)).toBeUndefined());
  });
});

describe("client-node", () => {
  it("creates, lists by label and field selectors, updates and patches pods", async () => {
    const namespace = await createNamespace("crud");
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace, body: pod("a", { app: "web", tier: "front" }) });
    await core.createNamespacedPod({ namespace, body: pod("b", { app: "web", tier: "back" }) });
    await core.createNamespacedPod({ namespace, body: pod("c", { app: "db" }) });
    const names = async (labelSelector?: string, fieldSelector?: string) => (await core.listNamespacedPod({ namespace, labelSelector, fieldSelector })).items.map((item) => item.metadata?.name);
    expect(await names("app=web")).toEqual(["a", "b"]);
    expect(await names("app!=web")).toEqual(["c"]);
    expect(await names("tier in (front, middle)")).toEqual(["a"]);
    // notin also matches objects without the key, as in apimachinery.
    expect(await names("app,tier notin (front)")).toEqual(["b", "c"]);
    expect(await names("!tier")).toEqual(["c"]);
    expect(await names(undefined, "metadata.name=b")).toEqual(["b"]);
    expect(await names(undefined, "status.phase=Pending,spec.nodeName=")).toEqual(["a", "b", "c"]);

    const generated = await core.createNamespacedPod({ namespace, body: { ...pod(""), metadata: { generateName: "worker-" } } });
    expect(generated.metadata?.name).toMatch(/^worker-[a-z0-9]{5}$/);
    expect(generated.metadata?.uid).toBeTruthy();
    expect(generated.spec?.serviceAccountName).toBe("default");
    expect(await statusOf(core.createNamespacedPod({ namespace, body: pod("a") }))).toMatchObject({ code: 409, reason: "AlreadyExists", message: 'pods "a" already exists' });
    expect(await statusOf(core.readNamespacedPod({ namespace, name: "nope" }))).toMatchObject({ code: 404, reason: "NotFound", message: 'pods "nope" not found' });
    expect(await statusOf(core.createNamespacedPod({ namespace: "missing", body: pod("x") }))).toMatchObject({ code: 404, message: 'namespaces "missing" not found' });

    const current = await core.readNamespacedPod({ namespace, name: "a" });
    const updated = await core.replaceNamespacedPod({ namespace, name: "a", body: { ...current, metadata: { ...current.metadata, labels: { app: "web", tier: "edge" } } } });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(current.metadata?.resourceVersion));
    expect(await statusOf(core.replaceNamespacedPod({ namespace, name: "a", body: current }))).toMatchObject({ code: 409, reason: "Conflict" });

    const merged = await core.patchNamespacedPod({ namespace, name: "a", body: { metadata: { labels: { tier: null, patched: "yes" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    expect(merged.metadata?.labels).toEqual({ app: "web", patched: "yes" });
    const jsonPatched = await core.patchNamespacedPod({ namespace, name: "a", body: [{ op: "add", path: "/metadata/annotations", value: { note: "hi" } }] });
    expect(jsonPatched.metadata?.annotations).toEqual({ note: "hi" });
    const strategic = { headers: setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch) };
    const newImage = await core.patchNamespacedPod({ namespace, name: "a", body: { spec: { containers: [{ name: "main", image: "busybox:1.37" }] } } }, strategic.headers);
    expect(newImage.spec?.containers.map((container) => [container.name, container.image])).toEqual([["main", "busybox:1.37"]]);
    expect(await statusOf(core.patchNamespacedPod({ namespace, name: "a", body: { spec: { containers: [{ name: "main", env: [{ name: "A", value: "1" }] }] } } }, strategic.headers))).toMatchObject({
      code: 422,
      reason: "Invalid",
      message: expect.stringContaining('Pod "a" is invalid: spec: Forbidden: pod updates may not change fields other than'),
    });

    // A node is assigned as kube-scheduler assigns it, once.
    const binding = { metadata: { name: "a" }, target: { apiVersion: "v1", kind: "Node", name: "node-1" } };
    await core.createNamespacedPodBinding({ namespace, name: "a", body: binding });
    expect((await core.readNamespacedPod({ namespace, name: "a" })).spec?.nodeName).toBe("node-1");
    expect(await statusOf(core.createNamespacedPodBinding({ namespace, name: "a", body: binding }))).toMatchObject({ code: 409, message: 'Operation cannot be fulfilled on pods/binding "a": pod a is already assigned to node "node-1"' });

    // The status subresource is the only way to change status, as a kubelet reports it.
    const running = await core.patchNamespacedPodStatus({ namespace, name: "a", body: { status: { phase: "Running" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    expect(running.status?.phase).toBe("Running");
    const ignored = await core.patchNamespacedPod({ namespace, name: "a", body: { status: { phase: "Failed" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    expect(ignored.status?.phase).toBe("Running");

    // deletecollection deletes each as delete does: the pod bound to a node only starts terminating.
    await core.deleteCollectionNamespacedPod({ namespace, labelSelector: "app=web" });
    const left = (await core.listNamespacedPod({ namespace })).items.filter((item) => !item.metadata?.name?.startsWith("worker-"));
    expect(left.map((item) => [item.metadata?.name, item.metadata?.deletionTimestamp !== undefined])).toEqual([
      ["a", true],
      ["c", false],
    ]);
  });

  it("creates secrets from stringData and selects them by label", async () => {
    const namespace = await createNamespace("secrets");
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: "one", labels: { kind: "token" } }, stringData: { key: "value" } } });
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: "two" }, data: { key: Buffer.from("other").toString("base64") } } });
    const tokens = await core.listNamespacedSecret({ namespace, labelSelector: "kind=token" });
    expect(tokens.items.map((secret) => [secret.metadata?.name, secret.type, secret.data, secret.stringData])).toEqual([["one", "Opaque", { key: Buffer.from("value").toString("base64") }, undefined]]);
    await core.deleteNamespacedSecret({ namespace, name: "one" });
    expect((await core.listNamespacedSecret({ namespace })).items.map((secret) => secret.metadata?.name)).toEqual(["two"]);
  });

  it("feeds an informer adds, updates and deletes, and it recovers by re-listing after compaction and dropped watches", async () => {
    const namespace = await createNamespace("informed");
    const core = admin.makeApiClient(CoreV1Api);
    let lists = 0;
    const informer = makeInformer(admin, `/api/v1/namespaces/${namespace}/pods`, () => {
      lists++;
      return core.listNamespacedPod({ namespace });
    });
    const seen: string[] = [];
    informer.on("add", (object) => seen.push(`add ${object.metadata?.name}`));
    informer.on("update", (object) => seen.push(`update ${object.metadata?.name} ${object.metadata?.labels?.step ?? ""}`.trim()));
    informer.on("delete", (object) => seen.push(`delete ${object.metadata?.name}`));
    // client-node's ListWatch stops on a broken stream; restarting it is the caller's job.
    const errors: unknown[] = [];
    informer.on("error", (error) => {
      errors.push(error);
      setTimeout(() => void informer.start(), 20);
    });
    await core.createNamespacedPod({ namespace, body: pod("before") });
    await informer.start();
    try {
      await eventually(() => expect(seen).toEqual(["add before"]));
      await core.createNamespacedPod({ namespace, body: pod("p1") });
      await core.patchNamespacedPod({ namespace, name: "p1", body: { metadata: { labels: { step: "two" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
      await core.deleteNamespacedPod({ namespace, name: "before" });
      await eventually(() => expect(seen).toEqual(["add before", "add p1", "update p1 two", "delete before"]));

      // Something else moves the cluster on, history is compacted, and every watch is cut.
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "unrelated" } } });
      server.compact();
      server.dropWatches();
      await eventually(() => expect(errors.length).toBeGreaterThan(0));
      // Its resourceVersion is now too old: the watch it resumes gets 410 Expired, so it lists again.
      await eventually(() => expect(lists).toBe(2));
      await core.createNamespacedPod({ namespace, body: pod("after") });
      await eventually(() => expect(seen.at(-1)).toBe("add after"));
      expect(informer.list(namespace).map((item) => item.metadata?.name).sort()).toEqual(["after", "p1"]);
    } finally {
      await informer.stop();
    }
  });

  it("sends bookmarks carrying only a resourceVersion, and ERROR 410 Expired to a watch from before compaction", async () => {
    const namespace = await createNamespace("watched");
    const core = admin.makeApiClient(CoreV1Api);
    const listed = await core.listNamespacedPod({ namespace });
    const events: Array<{ type: string; object: { metadata?: Record<string, unknown>; code?: number; reason?: string; message?: string } }> = [];
    const ended = vi.fn();
    const watch = await new Watch(admin).watch(`/api/v1/namespaces/${namespace}/pods`, { allowWatchBookmarks: true, resourceVersion: listed.metadata?.resourceVersion }, (type, object) => events.push({ type, object }), ended);
    await eventually(() => expect(events.some((event) => event.type === "BOOKMARK")).toBe(true));
    const bookmark = events.find((event) => event.type === "BOOKMARK")!;
    expect(Object.keys(bookmark.object.metadata ?? {})).toEqual(["resourceVersion"]);
    watch.abort();

    await core.createNamespacedPod({ namespace, body: pod("moved-on") });
    server.compact();
    const stale: typeof events = [];
    const staleEnded = vi.fn();
    await new Watch(admin).watch(`/api/v1/namespaces/${namespace}/pods`, { resourceVersion: listed.metadata?.resourceVersion }, (type, object) => stale.push({ type, object }), staleEnded);
    await eventually(() => expect(staleEnded).toHaveBeenCalled());
    expect(stale).toEqual([
      { type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired", message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/) }) },
    ]);
  });

  it("shows a selector's view: an object leaving the selector is DELETED, and timeoutSeconds ends the stream", async () => {
    const namespace = await createNamespace("selected");
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace, body: pod("p", { role: "worker" }) });
    const events: string[] = [];
    const ended = vi.fn();
    await new Watch(admin).watch(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: "role=worker", timeoutSeconds: 1 }, (type, object) => events.push(`${type} ${object.metadata.name}`), ended);
    await eventually(() => expect(events).toEqual(["ADDED p"]));
    await core.patchNamespacedPod({ namespace, name: "p", body: { metadata: { labels: { role: "idle" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await core.patchNamespacedPod({ namespace, name: "p", body: { metadata: { labels: { role: "worker" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await eventually(() => expect(events).toEqual(["ADDED p", "DELETED p", "ADDED p"]));
    await eventually(() => expect(ended).toHaveBeenCalledWith(null));
  });

  it("answers SelfSubjectAccessReviews for an in-cluster service account from its Role, and forbids what the Role lacks", async () => {
    const namespace = await createNamespace("reviewed");
    await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({ namespace, body: { metadata: { name: "robot" } } });
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: "pods" },
        rules: [
          { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["create", "get"] },
          { apiGroups: [""], resources: ["configmaps"], resourceNames: ["allowed"], verbs: ["*"] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: { metadata: { name: "robot-pods" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pods" }, subjects: [{ kind: "ServiceAccount", name: "robot", namespace }] },
    });

    // As a pod sees it: mounted token and CA, and the service env.
    const prefix = path.join(dir, "pod-root");
    server.writeServiceAccountFiles(path.join(prefix, "var/run/secrets/kubernetes.io/serviceaccount"), namespace, "robot");
    for (const [name, value] of Object.entries(server.inClusterEnv())) vi.stubEnv(name, value);
    const inCluster = new KubeConfig();
    inCluster.loadFromCluster(prefix);
    vi.unstubAllEnvs();
    expect(inCluster.getContextObject(inCluster.getCurrentContext())?.namespace).toBe(namespace);

    const reviews = inCluster.makeApiClient(AuthorizationV1Api);
    const can = async (verb: string, resource: string, subresource?: string, name?: string) =>
      (await reviews.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { namespace, verb, resource, subresource, name } } } })).status?.allowed;
    expect(await can("create", "pods")).toBe(true);
    expect(await can("get", "pods", "log")).toBe(true);
    expect(await can("delete", "pods")).toBe(false);
    expect(await can("get", "secrets")).toBe(false);
    expect(await can("update", "configmaps", undefined, "allowed")).toBe(true);
    expect(await can("update", "configmaps", undefined, "other")).toBe(false);
    expect(await can("list", "configmaps")).toBe(false);

    const role = await rbac.readNamespacedRole({ namespace, name: "pods" });
    await rbac.replaceNamespacedRole({ namespace, name: "pods", body: { ...role, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] } });
    expect(await can("create", "pods")).toBe(false);
    expect(await can("get", "pods", "log")).toBe(false);

    const core = inCluster.makeApiClient(CoreV1Api);
    expect(await statusOf(core.listNamespacedSecret({ namespace }))).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message: `secrets is forbidden: User "system:serviceaccount:${namespace}:robot" cannot list resource "secrets" in API group "" in the namespace "${namespace}"`,
    });
    expect(await statusOf(core.createNamespacedPod({ namespace, body: pod("nope") }))).toMatchObject({ code: 403, message: expect.stringContaining('cannot create resource "pods"') });
    expect((await core.readNamespacedPod({ namespace, name: "x" }).catch((error: ApiException<string>) => error.code))).toBe(404);
  });

  it("refuses a token it does not know with 401", async () => {
    // client-node drops a 401's body, so the Status is checked through kubectl.
    const error = await kubeConfigFor("not-a-token").makeApiClient(CoreV1Api).listNamespace().catch((caught: ApiException<unknown>) => caught);
    expect(error).toMatchObject({ code: 401 });
    const { code, stderr } = await kubectl(["get", "pods"], "not-a-token");
    expect(code).toBe(1);
    expect(stderr).toContain("error: You must be logged in to the server (Unauthorized)");
  });

  it("deletes a scheduled pod gracefully, then collects the Secret it owned once the kubelet finishes the deletion", async () => {
    const namespace = await createNamespace("collected");
    const core = admin.makeApiClient(CoreV1Api);
    const owner = await core.createNamespacedPod({ namespace, body: pod("owner", {}, { nodeName: "node-1" }) });
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: "owned", ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "owner", uid: owner.metadata!.uid! }] }, stringData: { a: "b" } },
    });

    const terminating = await core.deleteNamespacedPod({ namespace, name: "owner" });
    expect(terminating.metadata?.deletionTimestamp).toBeTruthy();
    expect(terminating.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(server.objects.get("secrets", namespace, "owned")).toBeDefined();

    // The kubelet, once the containers are gone:
    await core.deleteNamespacedPod({ namespace, name: "owner", gracePeriodSeconds: 0 });
    expect(await statusOf(core.readNamespacedPod({ namespace, name: "owner" }))).toMatchObject({ code: 404 });
    expect(await statusOf(core.readNamespacedSecret({ namespace, name: "owned" }))).toMatchObject({ code: 404 });
  });

  it("removes a deleted namespace's objects after it has been Terminating", async () => {
    const namespace = await createNamespace("doomed");
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "settings" } } });
    await core.deleteNamespace({ name: namespace });
    expect(server.objects.get("namespaces", undefined, namespace)?.status).toEqual({ phase: "Terminating" });
    expect(await statusOf(core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "late" } } }))).toMatchObject({
      code: 403,
      message: `configmaps "late" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    });
    await eventually(() => expect(server.objects.get("namespaces", undefined, namespace)).toBeUndefined());
    expect(server.objects.list("configmaps", namespace)).toEqual([]);
    expect(server.objects.list("serviceaccounts", namespace)).toEqual([]);
  });

  it("injects Azure Workload Identity env and token volume into labelled pods only", async () => {
    const namespace = await createNamespace("identity");
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name: "wi", annotations: { "azure.workload.identity/client-id": "client-1", "azure.workload.identity/tenant-id": "tenant-1" } }, automountServiceAccountToken: false },
    });
    const labelled = await core.createNamespacedPod({ namespace, body: pod("labelled", { "azure.workload.identity/use": "true" }, { serviceAccountName: "wi" }) });
    const plain = await core.createNamespacedPod({ namespace, body: pod("plain", {}, { serviceAccountName: "wi" }) });

    expect(labelled.spec?.containers[0]?.env).toEqual([
      { name: "AZURE_CLIENT_ID", value: "client-1" },
      { name: "AZURE_TENANT_ID", value: "tenant-1" },
      { name: "AZURE_FEDERATED_TOKEN_FILE", value: "/var/run/secrets/azure/tokens/azure-identity-token" },
      { name: "AZURE_AUTHORITY_HOST", value: "https://login.microsoftonline.com/" },
    ]);
    expect(labelled.spec?.containers[0]?.volumeMounts).toEqual([{ name: "azure-identity-token", mountPath: "/var/run/secrets/azure/tokens", readOnly: true }]);
    expect(labelled.spec?.volumes).toEqual([
      { name: "azure-identity-token", projected: { sources: [{ serviceAccountToken: { path: "azure-identity-token", expirationSeconds: 3600, audience: "api://AzureADTokenExchange" } }] } },
    ]);
    // The account opts out of the API token, so the plain pod gets no volume at all.
    expect(plain.spec?.containers[0]?.env).toBeUndefined();
    expect(plain.spec?.volumes).toBeUndefined();

    expect(await statusOf(core.createNamespacedPod({ namespace, body: pod("orphan", {}, { serviceAccountName: "ghost" }) }))).toMatchObject({
      code: 403,
      message: `pods "orphan" is forbidden: error looking up service account ${namespace}/ghost: serviceaccount "ghost" not found`,
    });
  });
});
