import type { z } from "zod";
import type { TAgentKind, TRunEventBody, TTurnOutcome, ZConversationTurn } from "@/prisma-free-schema";

/**
 * What the sidecar asks of an agent: run one turn in the workspace, say what happens as run
 * event bodies, and end with an outcome. The sidecar numbers, logs and sends the events, and
 * wraps them in `turn.started` / `turn.ended`; an adapter emits only what happens in between.
 */
export type TConversationTurn = z.infer<typeof ZConversationTurn>;

export interface AgentTurn {
  input: string;
  /** Every earlier turn of the run. */
  conversation: TConversationTurn[];
  workspaceDir: string;
  /** Aborted when the turn is cancelled or the sidecar stops: the adapter ends its processes. */
  signal: AbortSignal;
  emit(body: TRunEventBody): void;
}

export interface AgentTurnResult {
  outcome: TTurnOutcome;
  exitCode: number | null;
}

export interface AgentAdapter {
  readonly kind: TAgentKind;
  runTurn(turn: AgentTurn): Promise<AgentTurnResult>;
}
