"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { TRunDetail } from "@/prisma-free-schema";
import { HOST_KIND_LABELS } from "@/prisma-free-schema/vocabulary";
import { formatDuration } from "@/app/_lib/duration";
import { ui } from "@/app/_lib/ui";
import { useNow } from "@/app/_lib/use-now";
import { RunStatusBadge } from "../../_components/run-status-badge";
import { LiveIndicator } from "./live-indicator";
import type { StreamState } from "./use-run-events";
import { runElapsedMs } from "./run-elapsed";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 items-baseline gap-1.5">
      <dt className="text-slate-500">{term}</dt>
      <dd className="min-w-0 break-all font-medium text-slate-800">{children}</dd>
    </div>
  );
}

function Placement({ run }: { run: TRunDetail }) {
  const { placement } = run;
  if (placement.provider === "managed") return <>Managed</>;
  const name = placement.hostName ?? "A deleted host";
  return (
    <>
      {placement.hostId && placement.hostName ? (
        <Link href={`/hosts/${placement.hostId}`} className={ui.link}>
          {name}
        </Link>
      ) : (
        name
      )}
      <span className="font-normal text-slate-500"> ({HOST_KIND_LABELS[placement.provider]})</span>
    </>
  );
}

interface RunHeaderProps {
  run: TRunDetail;
  stream: StreamState;
  startedByViewer: boolean;
  /** End run and cancel, for whoever may drive the run. */
  actions: ReactNode;
}

/** The run at a glance, kept to two lines so the log below gets the page. */
export function RunHeader({ run, stream, startedByViewer, actions }: RunHeaderProps) {
  const now = useNow(run.status === "running" || run.status === "starting");
  const elapsed = now === null ? null : runElapsedMs(run, now);
  return (
    <header className="mb-4 space-y-2">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="break-words text-xl font-semibold tracking-tight text-slate-900">{run.profileName}</h1>
        <RunStatusBadge status={run.status} />
        <LiveIndicator state={stream} />
        <div className="sm:ml-auto">{actions}</div>
      </div>
      <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
        <Fact term="Profile">
          <Link href={`/profiles/${run.profileId}`} className={ui.link}>
            {run.profileName}
          </Link>
        </Fact>
        <Fact term="Runs on">
          <Placement run={run} />
        </Fact>
        <Fact term="Sandbox">{run.sandboxId ? <code className="font-mono text-xs">{run.sandboxId}</code> : "Not yet"}</Fact>
        <Fact term="Started by">
          {run.startedBy.email}
          {startedByViewer ? <span className="font-normal text-slate-500"> (you)</span> : null}
        </Fact>
        <Fact term="Duration">{elapsed === null ? "—" : formatDuration(elapsed)}</Fact>
      </dl>
    </header>
  );
}
