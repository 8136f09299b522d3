import type { THostKind, THostStatus, THostView } from "@/prisma-free-schema";
import { ui } from "@/app/_lib/ui";
import { OperatorBundleDownload } from "./operator-bundle-download";

const SENTENCES: Record<THostStatus, string> = {
  "awaiting-operator":
    "Awaiting operator: no operator has connected yet. Install it from the operator bundle below; this page shows Registered as soon as it connects.",
  registered: "Registered: the operator is connected and checking in. New launches on this host are placed here.",
  disconnected:
    "Connection dropped: the operator stopped checking in. New launches on this host are refused until it connects again; work already running is left alone.",
};

const TONES: Record<THostStatus, string> = {
  "awaiting-operator": "border-amber-200 bg-amber-50 text-amber-900",
  registered: "border-emerald-200 bg-emerald-50 text-emerald-900",
  disconnected: "border-red-200 bg-red-50 text-red-800",
};

const BUNDLES: Record<THostKind, string> = {
  kubernetes:
    "The bundle is one Kubernetes manifest you apply with kubectl: its own namespace, two service accounts, a Role reaching only pods and service accounts in that namespace, a Secret holding the install key, a ConfigMap and the operator Deployment. No Service, no Ingress, no ports.",
  docker:
    "The bundle is a Compose file and, beside it, an env file holding the install key; docker compose starts the operator on this engine. It publishes no ports.",
};

export function OperatorPanel({ host, canManage }: { host: THostView; canManage: boolean }) {
  return (
    <section aria-labelledby="operator-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="operator-heading" className="text-base font-semibold text-slate-900">
        Operator
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        The operator runs in your cluster or on your Docker engine and dials out to Disco Parrot; you open no inbound ports.
      </p>
      {/* A live region: the page refetches the host, so a connect or a drop is announced as it happens. */}
      <p role="status" className={`mt-4 rounded-md border px-4 py-3 text-sm ${TONES[host.status]}`}>
        {SENTENCES[host.status]}
      </p>

      <h3 className="mt-6 text-sm font-semibold text-slate-900">Operator bundle</h3>
      <p className="mt-1 text-sm text-slate-600">{BUNDLES[host.kind]}</p>
      <p className="mt-2 text-sm text-slate-700">
        {host.installKeyFingerprint ? (
          <>
            Current install key fingerprint: <code className="break-all font-mono text-xs">{host.installKeyFingerprint}</code>. Each download issues a
            new key and retires the previous one; until then the operator exchanges its key for a channel token again every hour.
          </>
        ) : (
          "No install key has been issued for this host yet: the first download issues one."
        )}
      </p>
      {canManage ? (
        <OperatorBundleDownload host={host} />
      ) : (
        <p className="mt-4 text-sm text-slate-600">Someone with the hosts.manage scope downloads the operator bundle.</p>
      )}
    </section>
  );
}
