import type { THostStatus } from "@/prisma-free-schema";
import { ui } from "@/app/_lib/ui";

const SENTENCES: Record<THostStatus, string> = {
  "awaiting-operator":
    "Awaiting operator: no operator has connected yet. Downloading the operator bundle arrives with the outbound channel.",
  registered: "Registered: the operator is connected and checking in. New launches on this host are placed here.",
  disconnected:
    "Connection dropped: the operator stopped checking in. New launches on this host are refused until it connects again; work already running is left alone.",
};

const TONES: Record<THostStatus, string> = {
  "awaiting-operator": "border-amber-200 bg-amber-50 text-amber-900",
  registered: "border-emerald-200 bg-emerald-50 text-emerald-900",
  disconnected: "border-red-200 bg-red-50 text-red-800",
};

export function OperatorPanel({ status }: { status: THostStatus }) {
  return (
    <section aria-labelledby="operator-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="operator-heading" className="text-base font-semibold text-slate-900">
        Operator
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        The operator runs in your cluster or on your Docker engine and dials out to Disco Parrot; you open no inbound ports.
      </p>
      <p role="status" className={`mt-4 rounded-md border px-4 py-3 text-sm ${TONES[status]}`}>
        {SENTENCES[status]}
      </p>
    </section>
  );
}
