"use client";

import { hasScope, SCOPE_DESCRIPTIONS, SCOPES } from "@/prisma-free-schema/vocabulary";
import { CopyButton } from "@/app/_components/copy-button";
import { useLocaleFormat } from "@/app/_components/use-locale-format";
import { capitalize } from "@/app/_lib/format";
import { button, ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../_components/workspace-context";
import { DetailRow } from "../../_components/detail-row";
import { ByoChannelSection } from "./byo-channel-section";

export function GeneralSettings() {
  const workspace = useWorkspace();
  const held = SCOPES.filter((scope) => hasScope(workspace.scopes, scope));
  const format = useLocaleFormat();
  const managedHours = Math.round(workspace.plan.managedComputeSecondsPerMonth / 3600);

  return (
    <div className="space-y-6">
      <section aria-labelledby="workspace-heading" className={ui.card}>
        <h2 id="workspace-heading" className="border-b border-slate-200 px-5 py-3.5 text-base font-semibold text-slate-900">
          Workspace
        </h2>
        <dl className="divide-y divide-slate-100">
          <DetailRow term="Name">{workspace.name}</DetailRow>
          <DetailRow term="Workspace ID">
            <span className="flex flex-wrap items-center gap-2">
              <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{workspace.id}</code>
              <CopyButton value={workspace.id} label="Copy ID" className={button("secondary", "sm")} />
            </span>
          </DetailRow>
          <DetailRow term="Plan">{capitalize(workspace.plan.name)}</DetailRow>
          <DetailRow term="Bring-your-own hosts">{workspace.plan.byoHosts ? "Included" : "Not included"}</DetailRow>
          <DetailRow term="Managed compute">{format.number(managedHours)} hours per month</DetailRow>
        </dl>
      </section>

      <ByoChannelSection />

      <section aria-labelledby="access-heading" className={ui.card}>
        <h2 id="access-heading" className="border-b border-slate-200 px-5 py-3.5 text-base font-semibold text-slate-900">
          Your access
        </h2>
        <dl className="divide-y divide-slate-100">
          <DetailRow term="Your role">{workspace.role === "owner" ? "Owner" : "Member"}</DetailRow>
          <DetailRow term="Your scopes">
            {held.length === 0 ? (
              <span className="text-slate-500">No scopes</span>
            ) : (
              <ul className="space-y-1.5">
                {held.map((scope) => (
                  <li key={scope}>
                    <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{scope}</span>
                    <span className="ml-2 text-slate-600">{SCOPE_DESCRIPTIONS[scope]}</span>
                  </li>
                ))}
              </ul>
            )}
          </DetailRow>
        </dl>
      </section>
    </div>
  );
}
