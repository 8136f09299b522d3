/**
 * Chatty runs for benchmarks: each a sandbox whose sidecar (the bundled program every sandbox
 * runs, started here as a plain process at a lower priority, not in a boundary) runs the `command` agent, a Node
 * script printing one JSON line per event (each line one `agent` run event), `total` of them,
 * paced to `perSecond`. Made ready (sidecar connected) up front; `start` begins every run's turn.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { newId, SIDECAR_COMMANDS, SIDECAR_ENV, SIDECAR_TOKEN_MINUTES, sandboxUserId } from "@/prisma-free-schema";
import type { PlatformHarness } from "../server/channel/testing/platform-harness";
import { BUNDLED_SIDECAR } from "../server/providers/managed/sidecar-command";
import { sandboxStore } from "../server/store/sandbox-store";
import { eventually } from "../server/testing/eventually";
import { createTestRun } from "../server/testing/runs-fixtures";
import { signedInPerson } from "../server/testing/test-store";

/** The agent: `total` JSON lines, `perTick` of them every 5 ms, then exit. */
function agentScript(total: number, perSecond: number): string {
  const perTick = Math.max(1, Math.round(perSecond / 200));
  return `'${process.execPath}' -e 'let i=0;const pad="x".repeat(60);const t=setInterval(()=>{let s="";for(let j=0;j<${perTick}&&i<${total};j++,i++)s+=JSON.stringify({type:"tick",i,pad})+"\\n";process.stdout.write(s);if(i>=${total})clearInterval(t)},5)'`;
}

/**
 * How the sidecars (and the agents they start) share the machine with the platform. In production
 * they run in sandboxes on other machines; here they share two cores with it. "low" (nice 10)
 * still takes a share when the platform is busy, which a throughput run needs so the agents keep
 * pouring; "background" (SCHED_IDLE) runs only on what the platform's threads leave idle, for a
 * latency run where the load stands for other machines' work. A platform too busy to leave any
 * then gets less load, which the caller measures and reports.
 */
export type ChattyPriority = "low" | "background";
const PRIORITY_COMMAND: Record<ChattyPriority, string[]> = { low: ["nice", "-n", "10"], background: ["chrt", "--idle", "0"] };

function sidecarProcess(root: string, sandboxId: string, accessUrl: string, agentCommand: string, priority: ChattyPriority): ChildProcess {
  const dir = path.join(root, sandboxId);
  fs.mkdirSync(path.join(dir, "workspace"), { recursive: true });
  fs.writeFileSync(path.join(dir, "access-url"), accessUrl, { mode: 0o600 });
  // The agent inherits the sidecar's priority.
  const [command, ...args] = PRIORITY_COMMAND[priority];
  return spawn(command!, [...args, process.execPath, path.resolve(BUNDLED_SIDECAR)], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      [SIDECAR_ENV.sandboxId]: sandboxId,
      [SIDECAR_ENV.accessUrlFile]: path.join(dir, "access-url"),
      [SIDECAR_ENV.workspaceDir]: path.join(dir, "workspace"),
      [SIDECAR_ENV.eventLog]: path.join(dir, "events.jsonl"),
      [SIDECAR_ENV.agent]: "command",
      [SIDECAR_ENV.agentCommand]: agentCommand,
      DISCOPARROT_LOG_LEVEL: process.env.DISCOPARROT_LOG_LEVEL ?? "warn",
    },
    // The sidecar logs to stdout; its warnings and errors are worth seeing here.
    stdio: ["ignore", "inherit", "inherit"],
  });
}

export interface ChattyRuns {
  runIds: string[];
  /** Starts turn 1 of every run (each prints its share of `total`, together at `perSecond`). */
  start(): Promise<void>;
  /** Kills the sidecars (their agents with them). */
  stop(): void;
}

export async function chattyRuns(platform: PlatformHarness, root: string, options: { runs: number; total: number; perSecond: number; priority: ChattyPriority }): Promise<ChattyRuns> {
  // Started by a person of their own, so they take none of the owner's running-runs allowance.
  const owner = await signedInPerson(platform.store, `chatty-${newId("run").slice(4).toLowerCase()}@load.example`);
  const children: ChildProcess[] = [];
  const runIds: string[] = [];
  const sandboxes: string[] = [];
  try {
    for (let i = 0; i < options.runs; i += 1) {
      const sandboxId = newId("sbx");
      const now = new Date().toISOString();
      await sandboxStore(platform.store).create({
        id: sandboxId, type: "sandbox", workspaceId: platform.workspaceId, ownerId: owner.userId, status: "starting", failure: null,
        definition: { profileId: newId("prof"), template: "shell", provider: "managed", hostId: null, image: "discoparrot/sandbox", tag: "latest", resourceClass: "small", workloadIdentityClientId: null, workloadIdentityTenantId: null, persistentWorkspace: false, agent: "command" },
        tokenExpiresAt: null, meteredUntil: null, meterPending: null, createdAt: now, readyAt: null, lastActiveAt: null, pausedAt: null, destroyedAt: null,
      });
      const url = await platform.channel.platform.clientAccessUrl(sandboxUserId(sandboxId), SIDECAR_TOKEN_MINUTES);
      children.push(sidecarProcess(root, sandboxId, url, agentScript(Math.round(options.total / options.runs), options.perSecond / options.runs), options.priority));
      runIds.push((await createTestRun(platform.store, platform.workspaceId, owner, { sandboxId }, "chatter")).id);
      sandboxes.push(sandboxId);
    }
    // The sandbox turns ready when its sidecar connects.
    for (const sandboxId of sandboxes) {
      await eventually(async () => (await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status, (status) => status === "ready", 30_000);
    }
  } catch (error) {
    for (const child of children) child.kill("SIGKILL");
    throw error;
  }
  return {
    runIds,
    async start() {
      await Promise.all(
        runIds.map((runId, i) =>
          platform.channel.platform.send(sandboxUserId(sandboxes[i]!), SIDECAR_COMMANDS.turnStart, { runId, turn: 1, input: "chatter", conversation: [], afterSeq: 0 }, { timeoutMs: 30_000 }),
        ),
      );
    },
    stop() {
      for (const child of children) child.kill("SIGKILL");
    },
  };
}
