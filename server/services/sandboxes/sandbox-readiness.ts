import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { sandboxStore } from "../../store/sandbox-store";
import type { Store } from "../../store/store";

const READINESS_KEY = Symbol.for("discoparrot.sandboxReadiness");
type ReadinessHolder = { [READINESS_KEY]?: EventEmitter };

function readiness(): EventEmitter {
  const holder = globalThis as ReadinessHolder;
  holder[READINESS_KEY] ??= new EventEmitter().setMaxListeners(0);
  return holder[READINESS_KEY];
}

/** The channel saw the sandbox's sidecar connect (its status is already saved as ready). */
export function signalSandboxReady(sandboxId: string): void {
  readiness().emit(sandboxId);
}

const POLL_MS = 250;

/**
 * Resolves once the sandbox is ready: at once when this process's event handler signals it, or
 * by reading the store, for a sidecar whose connect reached another replica. False on timeout
 * or when it failed.
 */
export async function waitForSandboxReady(store: Store, workspaceId: string, sandboxId: string, timeoutMs: number): Promise<boolean> {
  const signalled = new AbortController();
  const onReady = () => signalled.abort();
  readiness().once(sandboxId, onReady);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const sandbox = await sandboxStore(store).get(workspaceId, sandboxId);
      if (sandbox?.status === "ready") return true;
      if (!sandbox || sandbox.status === "failed" || sandbox.status === "destroyed") return false;
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal: signalled.signal }).catch(() => undefined);
    }
    return (await sandboxStore(store).get(workspaceId, sandboxId))?.status === "ready";
  } finally {
    readiness().off(sandboxId, onReady);
  }
}
