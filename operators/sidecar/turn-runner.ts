import type { TTurnOutcome } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import type { OperatorLog } from "../shared/operator-log";
import type { AgentAdapter, TConversationTurn } from "./agents/agent-adapter";
import type { RunEvents } from "./run-events";

/**
 * The sandbox's one agent turn at a time: `start` begins it in the background (the platform's
 * command is answered at once; what happens streams as run events), wrapped in `turn.started` and
 * `turn.ended`; `cancel` ends it. A turn that was running when the sidecar last died is ended as
 * failed when it comes back (`closeInterrupted`), so no run waits forever for a turn that is gone.
 */
export interface TurnRequest {
  runId: string;
  turn: number;
  input: string;
  conversation: TConversationTurn[];
  /** The run's highest seq the platform already holds (from an earlier sandbox); numbering continues after it. */
  afterSeq?: number;
}

interface Running {
  runId: string;
  turn: number;
  controller: AbortController;
  done: Promise<void>;
}

export class TurnRunner {
  private running: Running | undefined;

  constructor(
    private readonly options: { agent: AgentAdapter; workspaceDir: string; events: RunEvents; log: OperatorLog },
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Starts the turn; throws `busy` while another runs. A turn handed over again (a retried
   * command, or the platform's next attempt after the one that sent it died before hearing back)
   * is accepted without running it twice: it is running, or its events are already in the log,
   * from where the platform gets whatever it missed. Returns whether the turn was started now.
   */
  start(request: TurnRequest): boolean {
    const { runId, turn } = request;
    if (this.running?.runId === runId && this.running.turn === turn) return false;
    if (turn <= this.options.events.log.lastStartedTurn(runId)) {
      this.options.log.info("turn handed over again; it was run already", { runId, turn });
      return false;
    }
    if (this.running) {
      throw new CommandError("busy", `The sandbox is running turn ${this.running.turn} of ${this.running.runId}; cancel it or wait for it to end.`);
    }
    const controller = new AbortController();
    const running: Running = { runId, turn, controller, done: Promise.resolve() };
    this.running = running;
    running.done = this.run(request, controller.signal).finally(() => {
      if (this.running === running) this.running = undefined;
    });
    return true;
  }

  /** Cancels the turn if it is the one running; true if it was. Resolves once it has ended. */
  async cancel(runId: string, turn: number): Promise<boolean> {
    const running = this.running;
    if (!running || running.runId !== runId || running.turn !== turn) return false;
    running.controller.abort(new Error("the turn was cancelled"));
    await running.done;
    return true;
  }

  /** Cancels whatever runs and waits for it to end (the sidecar is stopping). */
  async stop(): Promise<void> {
    const running = this.running;
    if (running) await this.cancel(running.runId, running.turn);
  }

  /** Ends, as failed, every turn the log shows started and never ended. */
  closeInterrupted(): void {
    const { events, log } = this.options;
    for (const open of events.log.unfinishedTurns()) {
      log.warn("a turn was interrupted by a sidecar restart; ending it as failed", { runId: open.runId, turn: open.turn });
      events.record(open.runId, open.turn, { kind: "output", stream: "stderr", text: "[discoparrot] The sandbox's sidecar restarted during this turn; the agent was stopped.\n" });
      const durationMs = Math.max(0, Date.now() - Date.parse(open.startedAt));
      events.record(open.runId, open.turn, { kind: "turn.ended", outcome: "failed", exitCode: null, durationMs });
    }
  }

  private async run(request: TurnRequest, signal: AbortSignal): Promise<void> {
    const { agent, workspaceDir, events, log } = this.options;
    const { runId, turn } = request;
    const emit = (body: Parameters<RunEvents["record"]>[2]) => events.record(runId, turn, body);
    const startedAt = Date.now();
    events.log.continueAfter(runId, request.afterSeq ?? 0);
    emit({ kind: "turn.started", input: request.input });
    log.info("turn started", { runId, turn, agent: agent.kind });

    let outcome: TTurnOutcome;
    let exitCode: number | null = null;
    try {
      ({ outcome, exitCode } = await agent.runTurn({ input: request.input, conversation: request.conversation, workspaceDir, signal, emit }));
    } catch (error) {
      // The agent could not even start (its CLI is missing, the workspace is gone): say so in the run.
      const message = error instanceof Error ? error.message : String(error);
      emit({ kind: "output", stream: "stderr", text: `[discoparrot] The agent failed: ${message.slice(0, 2000)}\n` });
      outcome = signal.aborted ? "cancelled" : "failed";
    }
    const durationMs = Date.now() - startedAt;
    emit({ kind: "turn.ended", outcome, exitCode, durationMs });
    log.info("turn ended", { runId, turn, outcome, exitCode, durationMs });
  }
}
