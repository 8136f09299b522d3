import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { BundleSettings } from "./bundle-settings";
import { FAKE_KEY, keysDeep, sampleBundleSettings } from "./bundle-settings.fixture";
import { renderKubernetesBundle } from "./render-kubernetes-bundle";

const KEY = FAKE_KEY;
const HOST_ID = "host_abcdefghijkmnpqrstuv";
// A trailing slash on the URL, as an admin might paste it: the renderer tidies it.
const settings = (host: Partial<BundleSettings["host"]> = {}) => sampleBundleSettings("kubernetes", { host, platformUrl: "https://parrot.example.com/" });


// Loose on purpose: tests read whatever the manifest says and assert on it.
type Manifest = any;

/** As kubectl reads it: YAML 1.1, every document, failing on any parse error. */
function manifestsOf(content: string): Manifest[] {
  return parseAllDocuments(content, { version: "1.1" }).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS();
  });
}

// Each model's validate() throws on a schema violation (types, required fields, enums).
const MODELS: Record<string, (manifest: Manifest) => { validate(): void }> = {
  "v1/Namespace": (m) => new Namespace(m),
  "v1/ServiceAccount": (m) => new ServiceAccount(m),
  "v1/Secret": (m) => new Secret(m),
  "v1/ConfigMap": (m) => new ConfigMap(m),
  "rbac.authorization.k8s.io/v1/Role": (m) => new Role(m),
  "rbac.authorization.k8s.io/v1/RoleBinding": (m) => new RoleBinding(m),
  "apps/v1/Deployment": (m) => new Deployment(m),
  "networking.k8s.io/v1/NetworkPolicy": (m) => new NetworkPolicy(m),
};


function stringsDeep(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsDeep(item, out);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      out.push(key);
      stringsDeep(child, out);
    }
  }
  return out;
}

const bundle = renderKubernetesBundle(settings());
const manifests = manifestsOf(bundle.content);
const one = (kind: string, name?: string): Manifest => {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};
const deployment = () => one("Deployment");
const podSpec = () => deployment().spec.template.spec;
const container = () => {
  expect(podSpec().containers).toHaveLength(1);
  return podSpec().containers[0];
};

describe("the Kubernetes operator bundle", () => {
  it("is named for the host and comes with the apply and rollout commands", () => {
    expect(bundle.filename).toBe("discoparrot-operator-prod-eks.yaml");
    expect(bundle.commands).toEqual([
      "kubectl apply -f discoparrot-operator-prod-eks.yaml",
      "kubectl rollout status deployment/discoparrot-operator -n discoparrot-prod-eks --timeout=120s",
    ]);
  });

  it("passes the Kubernetes schema, document by document", () => {
    for (const manifest of manifests) {
      const model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      expect(model, `${manifest.apiVersion} ${manifest.kind} is not an expected kind`).toBeDefined();
      expect(() => model?.(manifest).validate()).not.toThrow();
    }
  });

  it("installs exactly the promised footprint: no Service, no Ingress, nothing cluster-wide", () => {
    const kinds = manifests.map((m) => m.kind).sort();
    expect(kinds).toEqual(["ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "Role", "RoleBinding", "Secret", "ServiceAccount", "ServiceAccount"]);
    for (const kind of ["Service", "Ingress", "ClusterRole", "ClusterRoleBinding"]) expect(kinds).not.toContain(kind);
  });

  it("lives in one namespace of its own, named for the host", () => {
    expect(one("Namespace").metadata.name).toBe("discoparrot-prod-eks");
    for (const manifest of manifests.filter((m) => m.kind !== "Namespace")) expect(manifest.metadata.namespace).toBe("discoparrot-prod-eks");
    // The cluster, not only the operator, holds every pod in it to the restricted profile.
    expect(one("Namespace").metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  it("opens no port and touches no host network anywhere", () => {
    const keys = keysDeep(manifests);
    for (const key of ["ports", "containerPort", "hostPort", "hostNetwork", "hostPID", "hostIPC", "hostPath"]) expect(keys).not.toContain(key);
  });

  it("labels everything for the host", () => {
    const labels = { "app.kubernetes.io/name": "discoparrot-operator", "app.kubernetes.io/managed-by": "discoparrot", "discoparrot.dev/host-id": HOST_ID };
    for (const manifest of manifests) expect(manifest.metadata.labels).toMatchObject(labels);
    expect(deployment().spec.template.metadata.labels).toMatchObject(labels);
  });

  it("grants the operator pods, their logs, service accounts and the sandboxes' identity Secrets in its namespace, and nothing else", () => {
    expect(one("Role").rules).toEqual([
      { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "watch", "delete"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      // Never get, list or watch Secrets (a patch answers with the Secret it patched: only the sandboxes' identities and the operator's own key are here).
      { apiGroups: [""], resources: ["secrets"], verbs: ["create", "patch"] },
      { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "create", "patch"] },
    ]);
    expect(one("RoleBinding")).toMatchObject({
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: one("Role").metadata.name },
      subjects: [{ kind: "ServiceAccount", name: "discoparrot-operator", namespace: "discoparrot-prod-eks" }],
    });
    expect(one("RoleBinding").subjects).toHaveLength(1);
  });

  it("fences the sandbox pods: nothing reaches them, and they reach nothing link-local (the node's metadata endpoint)", () => {
    const policy = one("NetworkPolicy");
    expect(policy.spec).toEqual({
      podSelector: { matchExpressions: [{ key: "discoparrot.dev/sandbox-id", operator: "Exists" }] },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }, { ipBlock: { cidr: "::/0", except: ["fe80::/10"] } }] }],
    });
    // The operator's own pod is not a sandbox: the fence leaves its outbound connection alone.
    expect(deployment().spec.template.metadata.labels["discoparrot.dev/sandbox-id"]).toBeUndefined();
  });

  it("gives sandboxes their own service account with no API token", () => {
    expect(one("ServiceAccount", "discoparrot-sandbox").automountServiceAccountToken).toBe(false);
    expect(one("ServiceAccount", "discoparrot-operator")).toBeDefined();
    expect(podSpec().serviceAccountName).toBe("discoparrot-operator");
    expect(one("ConfigMap").data.DISCOPARROT_SANDBOX_SERVICE_ACCOUNT).toBe("discoparrot-sandbox");
  });

  it("runs one small operator, bounded in CPU and memory", () => {
    expect(deployment().spec.replicas).toBe(1);
    expect(deployment().spec.strategy).toEqual({ type: "Recreate" });
    expect(container().image).toBe("ghcr.io/discoparrot/operator:0.1.0");
    expect(container().resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
  });

  it("runs the operator hardened: non-root, read-only, no escalation, no capabilities, RuntimeDefault seccomp", () => {
    expect(podSpec().securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(container().securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    // The schema check ignores unknown fields, so a misspelt one would pass it silently: pin the keys.
    expect(Object.keys(container()).sort()).toEqual(["command", "envFrom", "image", "name", "resources", "securityContext", "volumeMounts"]);
    expect(container().command).toEqual(["node", "--import", "tsx", "operators/kubernetes/main.ts"]);
    expect(Object.keys(podSpec()).sort()).toEqual(["automountServiceAccountToken", "containers", "nodeSelector", "securityContext", "serviceAccountName", "volumes"]);
    expect(container().volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(podSpec().volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
  });

  it("reads its settings from the ConfigMap and its key from the Secret the bundle creates", () => {
    expect(container().envFrom).toEqual([{ configMapRef: { name: one("ConfigMap").metadata.name } }, { secretRef: { name: one("Secret").metadata.name } }]);
    expect(one("ConfigMap").data).toEqual({
      DISCOPARROT_PLATFORM_URL: "https://parrot.example.com",
      DISCOPARROT_HOST_ID: HOST_ID,
      DISCOPARROT_HOST_NAME: "prod-eks",
      DISCOPARROT_WORKSPACE_ID: "ws_abcdefghijkmnpqrstuv",
      DISCOPARROT_NAMESPACE: "discoparrot-prod-eks",
      DISCOPARROT_SANDBOX_SERVICE_ACCOUNT: "discoparrot-sandbox",
    });
  });

  it("carries the install key exactly once, in the Secret, with its fingerprint beside it", () => {
    expect(bundle.content.split(KEY)).toHaveLength(2);
    expect(one("Secret")).toMatchObject({
      type: "Opaque",
      stringData: { DISCOPARROT_INSTALL_KEY: KEY },
      metadata: { annotations: { "discoparrot.dev/install-key-fingerprint": "sha256:ab12cd34" } },
    });
    expect(Object.keys(one("Secret").stringData)).toEqual(["DISCOPARROT_INSTALL_KEY"]);
    expect(stringsDeep(manifests.filter((m) => m.kind !== "Secret")).some((s) => s.includes("opk_"))).toBe(false);
  });

  it("restarts the operator when a re-downloaded bundle brings a fresh key", () => {
    const fresh = manifestsOf(renderKubernetesBundle({ ...settings(), installKey: "opk_FRESHfresh9876543210", keyFingerprint: "sha256:ffee0011" }).content);
    const templateOf = (all: Manifest[]) => all.find((m) => m.kind === "Deployment").spec.template;
    expect(templateOf(fresh)).not.toEqual(templateOf(manifests));
    expect(templateOf(fresh).metadata.annotations).toEqual({ "discoparrot.dev/install-key-fingerprint": "sha256:ffee0011" });
  });

  it("holds no messaging-channel address: the operator is given it at key exchange", () => {
    expect(bundle.content).not.toMatch(/web.?pubsub/i);
    expect(keysDeep(manifests).concat(stringsDeep(manifests)).some((s) => /pubsub/i.test(s))).toBe(false);
  });

  it("opens with a comment saying what it is and that it holds a secret install key", () => {
    const header = bundle.content.slice(0, bundle.content.indexOf("\n---"));
    expect(header.split("\n").every((line) => line.startsWith("#"))).toBe(true);
    expect(header).toContain("Disco Parrot operator");
    expect(header).toMatch(/secret/i);
    expect(header).toMatch(/install key/);
    expect(header).not.toContain(KEY);
  });

  it("bakes no workload-identity switch into the manifest: the host's setting reaches the operator with each launch, so turning it on later needs no new bundle", () => {
    for (const workloadIdentity of [true, false]) {
      const manifests = manifestsOf(renderKubernetesBundle(settings({ workloadIdentity })).content);
      expect(Object.keys(manifests.find((m) => m.kind === "ConfigMap").data).some((key) => key.includes("WORKLOAD_IDENTITY"))).toBe(false);
    }
  });

  it.each(["on", "no", "yes", "null", "1e3", "0x1f", "123", "true"])("keeps a host named %s a string, as kubectl reads it", (name) => {
    const rendered = renderKubernetesBundle(settings({ name }));
    for (const version of ["1.1", "1.2"] as const) {
      const data = parseAllDocuments(rendered.content, { version })
        .map((d) => d.toJS())
        .find((m) => m.kind === "ConfigMap").data;
      expect(data.DISCOPARROT_HOST_NAME).toBe(name);
      expect(Object.values(data).every((value) => typeof value === "string")).toBe(true);
    }
  });

  it("keeps a long host name's namespace a valid, distinct DNS label", () => {
    const longName = `${"a".repeat(50)}-${"b".repeat(12)}`;
    const namespaces = [HOST_ID, "host_zzzzzzzzzzzzzzzzzzzz"].map((id) => {
      const all = manifestsOf(renderKubernetesBundle(settings({ id, name: longName })).content);
      return all.find((m) => m.kind === "Namespace").metadata.name as string;
    });
    for (const namespace of namespaces) {
      expect(namespace.length).toBeLessThanOrEqual(63);
      expect(namespace).toMatch(/^discoparrot-a+-[0-9a-f]{8}$/);
    }
    expect(namespaces[0]).not.toBe(namespaces[1]);
  });
});
