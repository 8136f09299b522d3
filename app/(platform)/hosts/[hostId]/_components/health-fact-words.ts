/**
 * The facts operators report (operators/shared/process-health.ts, operators/docker/engine-health.ts,
 * operators/kubernetes/cluster-health.ts), each as a label and a sentence a person reads, with a
 * verdict: `good` and `bad` say whether the fact helps or stops launches; `info` is neither.
 * An operator newer than this page may report a fact it does not know: it gets words made from its
 * key, never the key itself.
 */
export type FactVerdict = "good" | "bad" | "info";
export interface FactWords {
  label: string;
  sentence: string;
  verdict: FactVerdict;
}

type Value = string | number | boolean;
type Describe = (value: Value) => Omit<FactWords, "label">;

const info = (sentence: string): Omit<FactWords, "label"> => ({ sentence, verdict: "info" });

function duration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days} ${days === 1 ? "day" : "days"} ${hours} h`;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

const count = (value: Value, one: string, many: string) => (value === 1 ? `1 ${one}` : `${String(value)} ${many}`);

const FACTS: Record<string, { label: string; describe: Describe }> = {
  clusterApi: {
    label: "Cluster API",
    describe: (value) => (value === "reachable" ? { sentence: "The operator reaches the cluster's API server.", verdict: "good" } : { sentence: "The operator cannot reach the cluster's API server.", verdict: "bad" }),
  },
  kubernetesVersion: { label: "Kubernetes version", describe: (value) => info(`The cluster runs Kubernetes ${String(value)}.`) },
  namespace: { label: "Namespace", describe: (value) => info(`The operator and its sandbox pods live in the namespace ${String(value)}.`) },
  namespaceOwned: {
    label: "Namespace ownership",
    describe: (value) =>
      value === true
        ? { sentence: "The namespace is the operator's own, as its bundle made it.", verdict: "good" }
        : { sentence: "The namespace was not made by this operator's bundle: another install may share it.", verdict: "bad" },
  },
  rbac: {
    label: "Operator permissions",
    describe: (value) =>
      value === "sufficient"
        ? { sentence: "The operator holds every permission it needs in its namespace.", verdict: "good" }
        : value === "unknown"
          ? { sentence: "The operator could not check its permissions.", verdict: "bad" }
          : { sentence: `The operator lacks permissions it needs (${String(value).replace(/^missing:\s*/, "")}); re-apply the bundle's Role.`, verdict: "bad" },
  },
  channel: {
    label: "Messaging channel",
    describe: (value) => (value === "connected" ? { sentence: "The operator is connected to Disco Parrot.", verdict: "good" } : { sentence: `The operator's channel is ${String(value)}.`, verdict: "bad" }),
  },
  pods: {
    label: "Sandbox pods",
    describe: (value) => (typeof value === "number" && value < 0 ? { sentence: "The operator could not count its sandbox pods.", verdict: "bad" } : info(`${count(value, "sandbox pod is", "sandbox pods are")} running.`)),
  },
  oidcIssuer: { label: "Workload identity issuer", describe: (value) => info(`The cluster issues service account tokens as ${String(value)}: Azure federated credentials trust this issuer.`) },
  engine: {
    label: "Container engine",
    describe: (value) =>
      value === "unreachable" ? { sentence: "The operator cannot reach the Docker engine.", verdict: "bad" } : { sentence: `The operator reaches Docker engine ${String(value)}.`, verdict: "good" },
  },
  engineError: { label: "Engine error", describe: (value) => ({ sentence: `The engine answered: ${String(value)}`, verdict: "bad" }) },
  containers: { label: "Sandbox containers", describe: (value) => info(`${count(value, "container of this operator is", "containers of this operator are")} on the engine.`) },
  network: { label: "Sandbox network", describe: (value) => info(`Sandbox containers join the Docker network ${String(value)}.`) },
  nodeVersion: { label: "Node.js", describe: (value) => info(`The operator runs on Node.js ${String(value).replace(/^v/, "")}.`) },
  platform: { label: "Operating system", describe: (value) => info(`The operator runs on ${String(value)}.`) },
  arch: { label: "Architecture", describe: (value) => info(`The operator's machine is ${String(value)}.`) },
  uptimeSeconds: { label: "Operator uptime", describe: (value) => info(typeof value === "number" ? `The operator has been running for ${duration(value)}.` : `The operator has been running for ${String(value)}.`) },
  hostname: { label: "Operator machine", describe: (value) => info(`The operator runs on the machine (or pod) named ${String(value)}.`) },
};

/** `canCreatePods` → "Can create pods", `engine_error` → "Engine error": a label for a fact this page does not know. */
export function wordsOfKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function factWords(key: string, value: Value): FactWords {
  const known = FACTS[key];
  if (known) return { label: known.label, ...known.describe(value) };
  const label = wordsOfKey(key);
  if (typeof value === "boolean") return { label, sentence: value ? `Yes: the operator reports ${label.toLowerCase()}.` : `No: the operator reports not ${label.toLowerCase()}.`, verdict: value ? "good" : "bad" };
  return { label, sentence: `The operator reports ${String(value)}.`, verdict: "info" };
}

/** Problems first, then what is fine, then the rest, each by label. */
export function orderedFacts(entries: [string, Value][]): FactWords[] {
  const rank: Record<FactVerdict, number> = { bad: 0, good: 1, info: 2 };
  return entries.map(([key, value]) => factWords(key, value)).sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.label.localeCompare(b.label));
}
