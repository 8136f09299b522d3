import type { BundleSettings } from "./bundle-settings";
import { INSTALL_KEY_ENV, operatorSettingsEnv } from "./operator-env";

export const OPERATOR_NAME = "discoparrot-operator";
export const SANDBOX_SERVICE_ACCOUNT = "discoparrot-sandbox";
const SANDBOX_NETWORK_POLICY = "discoparrot-sandboxes";
const SECRET_NAME = "discoparrot-operator-install-key";
const CONFIG_MAP_NAME = "discoparrot-operator-settings";
const FINGERPRINT_ANNOTATION = "discoparrot.dev/install-key-fingerprint";
/** Any fixed non-root uid; the image must not need to write outside /tmp. */
const OPERATOR_UID = 10001;

export interface KubernetesOperatorManifestsOptions {
  settings: BundleSettings;
  namespace: string;
}

/**
 * The whole footprint the seed promises a reviewer, in apply order: one namespace, two service
 * accounts, a namespaced Role for pods, service accounts and the sandboxes' identity Secrets, a
 * NetworkPolicy fencing the sandbox pods, the key in a Secret, the rest in
 * a ConfigMap, and one small hardened Deployment. No Service, no Ingress, no port, nothing
 * cluster-wide. Settings must already be validated.
 */
export function kubernetesOperatorManifests({ settings, namespace }: KubernetesOperatorManifestsOptions): object[] {
  const { host } = settings;
  const labels = {
    "app.kubernetes.io/name": OPERATOR_NAME,
    "app.kubernetes.io/managed-by": "discoparrot",
    "discoparrot.dev/host-id": host.id,
  };
  const meta = (name: string) => ({ name, namespace, labels });
  // The selector is immutable once applied, so it carries only what never changes for a host.
  const selector = { "app.kubernetes.io/name": OPERATOR_NAME, "discoparrot.dev/host-id": host.id };
  const seccompProfile = { type: "RuntimeDefault" };

  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: namespace,
        // Pod Security Admission holds every pod here, the sandboxes included, to the restricted
        // profile (non-root, no capabilities, no escalation, RuntimeDefault seccomp): the cluster
        // enforces the hardening the seed promises, rather than the operator alone.
        labels: {
          ...labels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
        },
      },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(OPERATOR_NAME) },
    // Sandboxes get no Kubernetes API access at all. Workload-identity sandboxes run under service
    // accounts the operator creates per managed identity, not this one.
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(SANDBOX_SERVICE_ACCOUNT), automountServiceAccountToken: false },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta(OPERATOR_NAME),
      // Pods and service accounts as the seed states, and what the sandboxes need beside: a failed
      // pod's last log lines (pods/log get, to say why a launch failed), each sandbox's identity
      // Secret (create, and patch for a fresh access URL: a patch answers with the Secret, so this is
      // also reading the Secrets here, which are only those identities and the operator's own install
      // key), and a workload identity's service account put right (patch). No get, list or watch of
      // Secrets, no nodes, no pods/exec, nothing cluster-wide. The operator checks each of these verbs
      // with SelfSubjectAccessReview and reports a host not ready when one is missing.
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["create", "patch"] },
        { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "create", "patch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(OPERATOR_NAME),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: OPERATOR_NAME },
      subjects: [{ kind: "ServiceAccount", name: OPERATOR_NAME, namespace }],
    },
    {
      // The sandboxes' own fence, where the cluster enforces NetworkPolicy: nothing reaches a sandbox
      // pod (not another sandbox, not anything else in the cluster), and a sandbox reaches nothing
      // link-local, so the node's instance metadata endpoint (and the node's managed identity token
      // behind it) is out of reach; a workload identity's token comes from the webhook instead.
      // Everything else outbound is the agent's work (a Git provider, a registry), governed as the seed says.
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(SANDBOX_NETWORK_POLICY),
      spec: {
        podSelector: { matchExpressions: [{ key: "discoparrot.dev/sandbox-id", operator: "Exists" }] },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }, { ipBlock: { cidr: "::/0", except: ["fe80::/10"] } }] }],
      },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { ...meta(SECRET_NAME), annotations: { [FINGERPRINT_ANNOTATION]: settings.keyFingerprint } },
      type: "Opaque",
      stringData: { [INSTALL_KEY_ENV]: settings.installKey },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta(CONFIG_MAP_NAME),
      data: {
        ...operatorSettingsEnv(settings),
        DISCOPARROT_NAMESPACE: namespace,
        DISCOPARROT_SANDBOX_SERVICE_ACCOUNT: SANDBOX_SERVICE_ACCOUNT,
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(OPERATOR_NAME),
      spec: {
        replicas: 1,
        // Never two operators for one host: a rolling update would briefly run the old pod (holding
        // a retired key) beside the new one.
        strategy: { type: "Recreate" },
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            // Env is read at pod start, so a re-downloaded bundle (a fresh key in the Secret) must
            // change the pod template too, or `kubectl apply` would leave the old pod running.
            annotations: { [FINGERPRINT_ANNOTATION]: settings.keyFingerprint },
          },
          spec: {
            serviceAccountName: OPERATOR_NAME,
            // The operator, unlike the sandboxes, does call the API: pods, their identity Secrets and service accounts.
            automountServiceAccountToken: true,
            nodeSelector: { "kubernetes.io/os": "linux" },
            securityContext: { runAsNonRoot: true, runAsUser: OPERATOR_UID, runAsGroup: OPERATOR_UID, seccompProfile },
            containers: [
              {
                name: "operator",
                image: settings.operatorImage,
                // The operator image holds both operators; this host's is the Kubernetes one.
                command: ["node", "--import", "tsx", "operators/kubernetes/main.ts"],
                envFrom: [{ configMapRef: { name: CONFIG_MAP_NAME } }, { secretRef: { name: SECRET_NAME } }],
                resources: {
                  requests: { cpu: "100m", memory: "128Mi" },
                  limits: { cpu: "500m", memory: "256Mi" },
                },
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: OPERATOR_UID,
                  runAsGroup: OPERATOR_UID,
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile,
                },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            // The root filesystem is read-only; /tmp is the only scratch, bounded so the operator
            // cannot fill a node's disk.
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
          },
        },
      },
    },
  ];
}
