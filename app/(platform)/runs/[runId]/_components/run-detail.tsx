"use client";

import { LocalTime } from "@/app/_components/local-time";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type ReactNode, useEffect, useMemo } from "react";
import type { TRunDetail } from "@/prisma-free-schema";
import { ZRunId } from "@/prisma-free-schema/run-event";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { errorCode } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { BackLink } from "../../../_components/back-link";
import { useViewer } from "../../../_components/viewer-context";
import { useWorkspace } from "../../../_components/workspace-context";
import { RUN_REFETCH_MS } from "../../_components/live-refetch";
import { RunMissing } from "../../_components/run-missing";
import { RUN_STATUS_LABELS } from "../../_components/run-status-badge";
import { NextTurnForm } from "./next-turn-form";
import { RunFacts } from "./run-facts";
import { RunActions } from "./run-actions";
import { RunHeader } from "./run-header";
import { RunLogView } from "./run-log-view";
import { turnViews } from "./turn-view";
import { useRunEvents } from "./use-run-events";

export function RunDetail({ runId }: { runId: string }) {
  const workspace = useWorkspace();
  // An id that cannot be a run's is answered like a missing one, without asking the server.
  if (!ZRunId.safeParse(runId).success) return <RunMissing />;
  // Keyed, so another run's page starts from an empty event log and a fresh stream.
  return <RunDetailLoaded key={runId} workspaceId={workspace.id} runId={runId} />;
}

function RunDetailLoaded({ workspaceId, runId }: { workspaceId: string; runId: string }) {
  const trpc = useTRPC();
  // Statuses and turn outcomes are on the run document: polled, and asked again at each turn's start and end.
  const query = useQuery(trpc.runs.get.queryOptions({ workspaceId, runId }, { refetchInterval: RUN_REFETCH_MS }));

  if (query.isPending) return <LoadingPanel label="Loading run…" />;
  if (!query.data) {
    if (errorCode(query.error) === "NOT_FOUND") return <RunMissing />;
    return (
      <>
        <BackLink href="/runs">Back to runs</BackLink>
        <QueryErrorPanel title="Could not load this run." error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  return <RunView run={query.data} onTurnBoundary={() => void query.refetch()} />;
}

function RunView({ run, onTurnBoundary }: { run: TRunDetail; onTurnBoundary: () => void }) {
  const viewer = useViewer();
  const workspace = useWorkspace();
  const { log, stream, refusal } = useRunEvents(run.id, onTurnBoundary);
  const startedByViewer = run.startedBy.userId === viewer.userId;
  const canDrive = startedByViewer && hasScope(workspace.scopes, "runs.start");
  const views = useMemo(() => turnViews(run, log.turns), [run, log.turns]);

  // The tab says which run and how it is doing, so a run left in a background tab can be watched from the tab strip.
  useEffect(() => {
    document.title = `Run of ${run.profileName} · ${RUN_STATUS_LABELS[run.status]} · Disco Parrot`;
  }, [run.profileName, run.status]);

  return (
    <>
      <BackLink href="/runs">Back to runs</BackLink>
      <RunHeader run={run} stream={stream} startedByViewer={startedByViewer} actions={canDrive && run.status !== "ended" ? <RunActions run={run} /> : null} />

      <div className="space-y-4">
        {refusal ? (
          <Alert tone="warning" title="Live updates are paused">
            {refusal}
          </Alert>
        ) : null}
        <SandboxRest run={run} />
        <RunLogView runId={run.id} views={views} launchFailure={views.length === 0 ? run.failure : null} settled={run.status === "failed" || run.status === "ended"} />
        <RunControls run={run} startedByViewer={startedByViewer} canDrive={hasScope(workspace.scopes, "runs.start")} />
        <details className="group">
          <summary className="cursor-pointer text-sm font-medium text-slate-600 hover:text-slate-900">More about this run</summary>
          <div className="mt-3">
            <RunFacts run={run} startedByViewer={startedByViewer} />
          </div>
        </details>
      </div>
    </>
  );
}

/**
 * Styled like an info alert but not a live region: the page's one status region is the live
 * indicator, and these notes do not change while someone reads.
 */
function Note({ children }: { children: ReactNode }) {
  return <p className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">{children}</p>;
}

/** What the idle policy did to the run's sandbox: paused now, resumed by the last turn. */
function SandboxRest({ run }: { run: TRunDetail }) {
  if (run.status !== "ended" && run.pausedAt) {
    return (
      <Note>
        Paused at <LocalTime iso={run.pausedAt} format="time" /> after a while with nothing to do: its compute is stopped
        and no longer counted, its files are kept. The next turn resumes it.
      </Note>
    );
  }
  if (run.status !== "ended" && run.resumed) {
    return (
      <Note>
        Resumed at <LocalTime iso={run.resumed.at} format="time" /> in {(run.resumed.ms / 1000).toFixed(1)} s, after a pause for
        being idle, with its files as they were.
      </Note>
    );
  }
  return null;
}

/** Only the starter drives a run (the server refuses anyone else); everyone else watches. */
function RunControls({ run, startedByViewer, canDrive }: { run: TRunDetail; startedByViewer: boolean; canDrive: boolean }) {
  if (run.status === "ended") {
    return (
      <Note>
        This run has ended.{run.endedReason ? ` ${run.endedReason}` : ""} To go on, start a new run from the{" "}
        <Link href={`/profiles/${run.profileId}`} className={ui.link}>
          {run.profileName}
        </Link>{" "}
        profile.
      </Note>
    );
  }
  if (!startedByViewer) return <Note>You are watching. Only {run.startedBy.email}, who started this run, can send it turns or cancel them.</Note>;
  if (!canDrive) return <Note>You need the runs.start scope to send this run turns.</Note>;
  return <NextTurnForm run={run} />;
}
