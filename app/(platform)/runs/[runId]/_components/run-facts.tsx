import { LocalTime } from "@/app/_components/local-time";
import type { TRunDetail } from "@/prisma-free-schema";
import { CopyButton } from "@/app/_components/copy-button";
import { button, ui } from "@/app/_lib/ui";
import { DetailRow } from "../../../_components/detail-row";
import { runDuration } from "../../_components/run-duration";
import { RunPlacement } from "../../_components/run-placement";

export function RunFacts({ run, startedByViewer }: { run: TRunDetail; startedByViewer: boolean }) {
  return (
    <section aria-labelledby="run-facts-heading" className={ui.card}>
      <h2 id="run-facts-heading" className="border-b border-slate-200 px-5 py-3.5 text-base font-semibold text-slate-900">
        Details
      </h2>
      <dl className="divide-y divide-slate-100">
        <DetailRow term="Runs on">
          <RunPlacement placement={run.placement} />
        </DetailRow>
        <DetailRow term="Started by">
          <span className="break-all">{run.startedBy.email}</span>
          {startedByViewer ? <span className="text-slate-500"> (you)</span> : null}
        </DetailRow>
        <DetailRow term="Started">
          <LocalTime iso={run.createdAt} />
        </DetailRow>
        <DetailRow term="Duration">{runDuration(run)}</DetailRow>
        <DetailRow term="Turns">{run.turnCount}</DetailRow>
        <DetailRow term="Run ID">
          <span className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{run.id}</code>
            <CopyButton value={run.id} label="Copy ID" className={button("secondary", "sm")} />
          </span>
        </DetailRow>
      </dl>
    </section>
  );
}
