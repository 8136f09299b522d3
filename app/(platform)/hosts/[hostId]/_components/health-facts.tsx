import { notReadyReason, READINESS_FACTS, type THostView } from "@/prisma-free-schema";

/** The facts operators report, named for people; anything else shows under its own name. */
const FACT_LABELS: Record<string, string> = {
  clusterApi: "Cluster API",
  kubernetesVersion: "Kubernetes version",
  namespace: "Namespace",
  namespaceOwned: "Namespace owned",
  rbac: "Access (RBAC)",
  channel: "Messaging channel",
  pods: "Sandbox pods",
  engine: "Container engine",
  engineError: "Engine error",
  containers: "Sandbox containers",
  network: "Sandbox network",
  nodeVersion: "Node.js",
  platform: "Platform",
  arch: "Architecture",
  uptimeSeconds: "Operator uptime",
  hostname: "Operator hostname",
};

function shown(key: string, value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (key === "uptimeSeconds" && typeof value === "number") {
    const hours = Math.floor(value / 3600);
    const minutes = Math.floor((value % 3600) / 60);
    return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
  }
  return String(value);
}

/**
 * What the operator reported at its last check-in: first whether the host can launch (and if
 * not, why, as the operator said it; launches there are refused with the same words), then the
 * facts behind it.
 */
export function HealthFacts({ health }: { health: THostView["health"] }) {
  const entries = Object.entries(health)
    .filter(([key]) => key !== READINESS_FACTS.ready && key !== READINESS_FACTS.notReady)
    .sort(([a], [b]) => (FACT_LABELS[a] ?? a).localeCompare(FACT_LABELS[b] ?? b));
  if (entries.length === 0) return <span className="text-slate-500">No health facts reported yet.</span>;
  const notReady = notReadyReason(health);
  return (
    <div className="space-y-3">
      {notReady ? (
        <p role="status" data-testid="host-not-ready" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <span className="font-semibold">Not ready to launch:</span> {notReady}
        </p>
      ) : health[READINESS_FACTS.ready] === true ? (
        <p role="status" data-testid="host-ready" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Ready to launch sandboxes.
        </p>
      ) : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        {entries.map(([key, value]) => (
          <div key={key} className="contents">
            <dt className="text-xs text-slate-500">{FACT_LABELS[key] ?? key}</dt>
            <dd className="break-all font-mono text-xs text-slate-900">{shown(key, value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
