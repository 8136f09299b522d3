import { READINESS_FACTS, type THealthFacts } from "@/prisma-free-schema";
import { processHealth } from "../shared/process-health";
import type { Cluster } from "./cluster";
import { apiMessage } from "./kube-errors";

/**
 * Every verb the operator uses in its namespace, as the manifest's Role grants them: checked with
 * SelfSubjectAccessReview (the API server's own answer for this service account), never assumed.
 */
export const NEEDED_ACCESS: ReadonlyArray<{ verb: string; resource: string; subresource?: string }> = [
  { verb: "create", resource: "pods" },
  { verb: "get", resource: "pods" },
  { verb: "list", resource: "pods" },
  { verb: "watch", resource: "pods" },
  { verb: "delete", resource: "pods" },
  { verb: "get", resource: "pods", subresource: "log" },
  { verb: "create", resource: "secrets" },
  { verb: "patch", resource: "secrets" },
  { verb: "get", resource: "serviceaccounts" },
  { verb: "create", resource: "serviceaccounts" },
  { verb: "patch", resource: "serviceaccounts" },
];

const accessName = ({ verb, resource, subresource }: (typeof NEEDED_ACCESS)[number]) => `${verb} ${resource}${subresource ? `/${subresource}` : ""}`;
const short = (text: string) => (text.length > 256 ? `${text.slice(0, 255)}…` : text);

/**
 * What a Kubernetes host's check-ins and `host.health` carry: the process facts, then the
 * cluster's: its API reachable (and its version), the namespace the operator's own, every verb it
 * needs granted, the channel connected (it is: the check-in is on it); and `ready`/`notReady`,
 * the first of those that fails, in words, which the host page shows and which refuses launches.
 */
export async function clusterHealth(cluster: Cluster, options: { podCount?: () => Promise<number> } = {}): Promise<THealthFacts> {
  const facts: THealthFacts = { ...processHealth(), namespace: cluster.namespace, channel: "connected" };
  const notReady = (reason: string): THealthFacts => ({ ...facts, [READINESS_FACTS.ready]: false, [READINESS_FACTS.notReady]: short(reason) });

  try {
    const version = await cluster.version.getCode();
    facts.clusterApi = "reachable";
    facts.kubernetesVersion = short(version.gitVersion);
  } catch (error) {
    facts.clusterApi = "unreachable";
    return notReady(`the cluster API cannot be reached: ${apiMessage(error)}`);
  }

  const owned = cluster.homeNamespace === null || cluster.homeNamespace === cluster.namespace;
  facts.namespaceOwned = owned;
  if (!owned) return notReady(`the operator runs in namespace ${cluster.homeNamespace}, not the host's namespace ${cluster.namespace}; apply the host's manifest as downloaded`);

  let missing: string[];
  try {
    missing = await deniedAccess(cluster);
  } catch (error) {
    facts.rbac = "unknown";
    return notReady(`the operator's access could not be checked: ${apiMessage(error)}`);
  }
  facts.rbac = missing.length === 0 ? "sufficient" : short(`missing: ${missing.join(", ")}`);
  if (missing.length > 0) return notReady(`the operator's Role in ${cluster.namespace} does not grant ${missing.join(", ")}; apply the host's manifest as downloaded`);

  if (options.podCount) facts.pods = await options.podCount().catch(() => -1);
  const issuer = await oidcIssuer(cluster);
  if (issuer) facts.oidcIssuer = short(issuer);
  return { ...facts, [READINESS_FACTS.ready]: true };
}

/** The needed verbs the API server says this service account may not use in the namespace. */
async function deniedAccess(cluster: Cluster): Promise<string[]> {
  const answers = await Promise.all(
    NEEDED_ACCESS.map(async (access) => {
      const review = await cluster.authorization.createSelfSubjectAccessReview({
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectAccessReview",
          spec: { resourceAttributes: { namespace: cluster.namespace, verb: access.verb, resource: access.resource, subresource: access.subresource, group: "" } },
        },
      });
      return review.status?.allowed === true ? undefined : accessName(access);
    }),
  );
  return answers.filter((name): name is string => name !== undefined);
}

/**
 * The cluster's service-account token issuer (service account issuer discovery), which a
 * workload identity's federated credential must name; undefined where the cluster does not publish
 * it. Read once: it changes only with the cluster's configuration.
 */
const issuers = new WeakMap<Cluster, string>();
async function oidcIssuer(cluster: Cluster): Promise<string | undefined> {
  const known = issuers.get(cluster);
  if (known) return known;
  try {
    // Typed as the document's text; client-node hands back the parsed object when the server says application/json.
    const answer = (await cluster.wellKnown.getServiceAccountIssuerOpenIDConfiguration()) as unknown;
    const document = (typeof answer === "string" ? JSON.parse(answer) : answer) as { issuer?: unknown };
    if (typeof document.issuer !== "string") return undefined;
    issuers.set(cluster, document.issuer);
    return document.issuer;
  } catch {
    return undefined;
  }
}
