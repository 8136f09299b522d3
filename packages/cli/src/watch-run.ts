import type { TRunDetail } from "../../../prisma-free-schema/run";
import type { TRunEvent, TTurnOutcome } from "../../../prisma-free-schema/run-event";
import { CliError, EXIT, type ExitCode } from "./exit-codes";
import { colours } from "./output";
import { TRPCClientError } from "./platform-client";
import type { Session } from "./session";

/** How often the run itself is read while watching: a launch that fails has no events to say so. */
const STATUS_EVERY_MS = 2_000;
/** Pause before subscribing again after the stream dropped for good (EventSource's own retries come first). */
const RESUBSCRIBE_AFTER_MS = 500;

/** Codes after which subscribing again can work: the platform was stopping, busy, or unreachable (no code). */
const RETRYABLE = new Set(["", "SERVICE_UNAVAILABLE", "TOO_MANY_REQUESTS", "INTERNAL_SERVER_ERROR", "TIMEOUT", "CLIENT_CLOSED_REQUEST"]);

/**
 * Streams a run's events until the watched turn ends, and returns the exit code its outcome
 * means. Each event carries its seq: the cursor. After a drop the stream resumes from it (the
 * link sends it as lastEventId, EventSource as Last-Event-ID), and anything at or below it is
 * skipped, so a line is never lost and never printed twice, whoever reconnected.
 *
 * The process's stdout goes to stdout and its stderr to stderr, as written (its own colours
 * kept); what the CLI itself says (turn headers, reconnects, the outcome) goes to stderr, so
 * `parrot runs watch run_… > out.txt` captures exactly what the agent printed.
 */
export async function watchRun(session: Session, runId: string): Promise<ExitCode> {
  const { client, workspaceId, io } = session;
  const c = colours(io);
  const first = await client.runs.get.query({ workspaceId, runId });
  // The turn whose end ends the watch: the newest one (the first, while the run is starting).
  const target = first.lastTurn?.turn ?? 1;
  let cursor = 0;

  return new Promise<ExitCode>((resolve, reject) => {
    let subscription: { unsubscribe(): void } | undefined;
    let finished = false;
    const finish = (outcome: ExitCode | Error) => {
      if (finished) return;
      finished = true;
      clearInterval(statusTimer);
      subscription?.unsubscribe();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };

    const show = (event: TRunEvent) => {
      if (session.json) return io.out(`${JSON.stringify(event)}\n`);
      switch (event.kind) {
        case "turn.started":
          return io.err(c.dim(`── turn ${event.turn}: ${event.input.split("\n")[0]}\n`));
        case "output":
          return event.stream === "stdout" ? io.out(event.text) : io.err(c.red(event.text));
        case "agent":
          return io.out(`${JSON.stringify(event.payload)}\n`);
        case "file.changed":
          return io.err(c.dim(`   ${event.change} ${event.path}\n`));
        case "process.exited":
          return;
        case "turn.ended":
          return io.err(outcomeLine(c, event.turn, event.outcome, event.durationMs));
      }
    };

    const subscribe = () => {
      subscription = client.runs.events.subscribe(
        { workspaceId, runId, lastEventId: cursor > 0 ? String(cursor) : null },
        {
          onData: ({ data: event }) => {
            if (finished || event.seq <= cursor) return;
            cursor = event.seq;
            show(event);
            if (event.kind === "turn.ended" && event.turn >= target) finish(event.outcome === "succeeded" ? EXIT.ok : EXIT.failure);
          },
          onError: (error) => {
            const code = error instanceof TRPCClientError ? String((error.data as { code?: string } | undefined)?.code ?? "") : "";
            if (!RETRYABLE.has(code)) return finish(error);
            subscription?.unsubscribe();
            if (!session.json) io.err(c.dim(`   (the stream dropped; resuming after event ${cursor})\n`));
            setTimeout(() => finished || subscribe(), RESUBSCRIBE_AFTER_MS);
          },
        },
      );
    };

    const statusTimer = setInterval(() => {
      void client.runs.get
        .query({ workspaceId, runId })
        .then((run) => {
          const failure = launchFailure(run, target);
          if (failure) finish(new CliError(EXIT.failure, failure));
        })
        // The platform may be restarting: the stream's reconnect says so, not this.
        .catch(() => undefined);
    }, STATUS_EVERY_MS);

    const failure = launchFailure(first, target);
    if (failure) return finish(new CliError(EXIT.failure, failure));
    subscribe();
  });
}

/** A run that failed, or ended, before the watched turn could end: no turn.ended will come. */
function launchFailure(run: TRunDetail, target: number): string | undefined {
  const turnEnded = (run.lastTurn?.turn ?? 0) >= target && run.lastTurn?.outcome;
  if (turnEnded) return undefined;
  if (run.status === "failed") return run.failure ?? "The run failed before its turn could start.";
  if (run.status === "ended" && !run.lastTurn) return run.endedReason ?? "The run ended before its turn started.";
  return undefined;
}

function outcomeLine(c: ReturnType<typeof colours>, turn: number, outcome: TTurnOutcome, durationMs: number): string {
  const seconds = (durationMs / 1000).toFixed(1);
  const painted = outcome === "succeeded" ? c.green(outcome) : outcome === "failed" ? c.red(outcome) : c.yellow(outcome);
  return `── turn ${turn} ${painted} in ${seconds} s\n`;
}
