import { firstInputSnippet, newId, type TRun, type TRunEvent } from "@/prisma-free-schema";
import type { Actor } from "../auth/actor";
import { saveTurnInput } from "../services/runs/run-turns";
import { runStore } from "../store/run-store";
import type { Store } from "../store/store";

/**
 * A run document as the start-run logic will leave it, for tests that need one without a
 * sandbox: turn 1 already started, with `input` saved as its document.
 */
export async function createTestRun(store: Store, workspaceId: string, startedBy: Extract<Actor, { kind: "user" }>, overrides: Partial<TRun> = {}, input = "hello"): Promise<TRun> {
  const now = new Date().toISOString();
  const run: TRun = {
    id: newId("run"),
    type: "run",
    workspaceId,
    profileId: newId("prof"),
    profileName: "default",
    startedBy: { userId: startedBy.userId, email: startedBy.email },
    status: "running",
    sandboxId: newId("sbx"),
    placement: { provider: "managed", hostId: null, hostName: null },
    turnCount: 1,
    lastTurn: { turn: 1, startedAt: now, endedAt: null, outcome: null },
    firstInput: firstInputSnippet(input),
    failure: null,
    turnStart: null,
    pausedAt: null,
    resumed: null,
    endedReason: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  const { etag: _etag, ...created } = await runStore(store).create(run);
  if (created.lastTurn) await saveTurnInput(store, created, input);
  return created;
}

/** Output events `from`..`to` (inclusive) of turn 1, as a sidecar would send them. */
export function outputEvents(runId: string, from: number, to: number): TRunEvent[] {
  const events: TRunEvent[] = [];
  for (let seq = from; seq <= to; seq += 1) {
    events.push({ runId, seq, turn: 1, at: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, seq)).toISOString(), kind: "output", stream: "stdout", text: `line ${seq}\n` });
  }
  return events;
}
