import { LocalTime } from "@/app/_components/local-time";
import type { THostView } from "@/prisma-free-schema";
import { HOST_KIND_LABELS } from "@/prisma-free-schema/vocabulary";
import { CopyButton } from "@/app/_components/copy-button";
import { button, ui } from "@/app/_lib/ui";
import { DetailRow } from "../../../_components/detail-row";
import { RuntimeFamilyChips } from "../../../_components/runtime-family-chips";
import { HostStatusBadge } from "../../_components/host-status-badge";
import { LastSeen } from "../../_components/last-seen";
import { HealthFacts } from "./health-facts";

export function HostFacts({ host }: { host: THostView }) {
  return (
    <section aria-labelledby="host-facts-heading" className={ui.card}>
      <h2 id="host-facts-heading" className="border-b border-slate-200 px-5 py-3.5 text-base font-semibold text-slate-900">
        Details
      </h2>
      <dl className="divide-y divide-slate-100">
        <DetailRow term="Kind">{HOST_KIND_LABELS[host.kind]}</DetailRow>
        <DetailRow term="Status">
          <HostStatusBadge status={host.status} />
        </DetailRow>
        <DetailRow term="Runtime families">
          <RuntimeFamilyChips families={host.runtimeFamilies} />
        </DetailRow>
        <DetailRow term="Last seen">
          <LastSeen at={host.lastSeenAt} />
        </DetailRow>
        <DetailRow term="Operator version">
          {host.operatorVersion ? <span className="font-mono text-xs">{host.operatorVersion}</span> : "—"}
        </DetailRow>
        <DetailRow term="Health facts">
          <HealthFacts health={host.health} />
        </DetailRow>
        <DetailRow term="Install key fingerprint">
          {host.installKeyFingerprint ? (
            <code className="break-all font-mono text-xs">{host.installKeyFingerprint}</code>
          ) : (
            <span className="text-slate-500">No key issued yet</span>
          )}
        </DetailRow>
        {host.kind === "kubernetes" ? <DetailRow term="Azure Workload Identity">{host.workloadIdentity ? "On" : "Off"}</DetailRow> : null}
        <DetailRow term="Registered by">
          <span className="break-all">{host.createdByEmail}</span>
          <span className="text-slate-500">
            {" "}
            on <LocalTime iso={host.createdAt} />
          </span>
        </DetailRow>
        <DetailRow term="Last changed">
          <LocalTime iso={host.updatedAt} />
        </DetailRow>
        <DetailRow term="Host ID">
          <span className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{host.id}</code>
            <CopyButton value={host.id} label="Copy ID" className={button("secondary", "sm")} />
          </span>
        </DetailRow>
      </dl>
    </section>
  );
}
