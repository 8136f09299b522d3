import { tracked } from "@trpc/server";
import { z } from "zod";
import { ZProfileId, ZRunDetail, ZRunFilterOptions, ZRunId, ZRunListInput, ZRunSummary, ZTurnInput } from "@/prisma-free-schema";
import { AppError } from "../errors";
import { isDraining } from "../graceful-stop";
import { log } from "../log";
import { cancelTurn } from "../services/runs/cancel-turn";
import { endRun } from "../services/runs/end-run";
import { sendTurn } from "../services/runs/send-turn";
import { startRun } from "../services/runs/start-run";
import { processSandboxDeps } from "../services/sandboxes/process-sandbox-deps";
import { getRun } from "../services/runs/get-run";
import { listRuns } from "../services/runs/list-runs";
import { runFilterOptions } from "../services/runs/run-filter-options";
import { runDetail } from "../services/runs/run-turns";
import { leasedRunEvents } from "../services/limits/leased-run-events";
import { StreamLimitError } from "../services/limits/stream-leases";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

// Any member of the workspace may read its runs and their events (no scope: there is no
// runs.read, and runs.start is about starting them).
const read = workspaceProcedure();
const drive = workspaceProcedure("runs.start");

/** A turn runs in the background once saved; its failure is recorded on the run, so here it is only logged. */
function inBackground(runId: string, started: Promise<void>): void {
  started.catch((error: unknown) => log.error("run.turn_crashed", { runId, error }));
}

export const runsRouter = router({
  /** The workspace's runs, newest first, narrowed by any of status, profile, person, host and first-turn text. */
  list: read
    .input(ZRunListInput)
    .output(z.object({ items: z.array(ZRunSummary), cursor: z.string().optional() }))
    .query(({ ctx, input: { workspaceId: _workspaceId, limit, cursor, ...filters } }) => listRuns({ store: ctx.store, workspaceId: ctx.access.workspace.id, filters, limit, cursor })),

  /** The people and hosts the workspace's recent runs name: the list's filter menus. */
  filterOptions: read.output(ZRunFilterOptions).query(({ ctx }) => runFilterOptions({ store: ctx.store, workspaceId: ctx.access.workspace.id })),

  get: read
    .input(z.object({ runId: ZRunId }))
    .output(ZRunDetail)
    .query(({ ctx, input }) => getRun({ store: ctx.store, access: ctx.access, runId: input.runId })),

  /** Starts a run on a profile with its first turn; a profile that cannot launch now is refused with the resolver's reason. */
  start: drive
    .input(z.object({ profileId: ZProfileId, input: ZTurnInput }))
    .output(ZRunDetail)
    .mutation(async ({ ctx, input }) => {
      const { run, started } = await startRun(await processSandboxDeps(ctx.store), { actor: ctx.actor, access: ctx.access, ...input });
      inBackground(run.id, started);
      return runDetail(ctx.store, run);
    }),

  sendTurn: drive
    .input(z.object({ runId: ZRunId, input: ZTurnInput }))
    .output(ZRunDetail)
    .mutation(async ({ ctx, input }) => {
      const { run, started } = await sendTurn(await processSandboxDeps(ctx.store), { actor: ctx.actor, access: ctx.access, ...input });
      inBackground(run.id, started);
      return runDetail(ctx.store, run);
    }),

  cancelTurn: drive
    .input(z.object({ runId: ZRunId }))
    .output(ZRunDetail)
    .mutation(async ({ ctx, input }) => runDetail(ctx.store, await cancelTurn(await processSandboxDeps(ctx.store), { actor: ctx.actor, access: ctx.access, runId: input.runId }))),

  /** Ends the run for good: a running turn is cancelled, its sandbox destroyed (unless another of the person's runs uses it); audited. */
  end: drive
    .input(z.object({ runId: ZRunId }))
    .output(ZRunDetail)
    .mutation(async ({ ctx, input }) => runDetail(ctx.store, await endRun(await processSandboxDeps(ctx.store), { actor: ctx.actor, access: ctx.access, runId: input.runId }))),

  /**
   * The run's events from `lastEventId` (a seq; httpSubscriptionLink sends the last tracked id
   * when it reconnects), then live: the same stream as the SSE route, for internal tools.
   */
  events: read
    .input(z.object({ runId: ZRunId, lastEventId: z.string().regex(/^\d{1,15}$/, { message: "Must be an event seq" }).nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      await getRun({ store: ctx.store, access: ctx.access, runId: input.runId });
      const afterSeq = input.lastEventId ? Number(input.lastEventId) : 0;
      // Stopping: the client is told to try again, which reaches the next revision.
      if (isDraining()) throw new AppError("UNAVAILABLE", "This server is stopping; subscribe again.");
      try {
        const events = await leasedRunEvents({ store: ctx.store, actor: ctx.actor, runId: input.runId, afterSeq, signal });
        // Each tracked by its seq: what the client sends back as lastEventId when it reconnects.
        return (async function* () {
          for await (const event of events) yield tracked(String(event.seq), event);
        })();
      } catch (error) {
        // Over the cap: the subscription's HTTP response is a 429 with Retry-After, as the SSE route's is.
        if (error instanceof StreamLimitError && ctx.http) {
          ctx.http.status = 429;
          ctx.http.headers["retry-after"] = String(error.retryAfterSeconds);
        }
        throw error;
      }
    }),
});
