import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SIDECAR_COMMANDS, SIDECAR_ENV, ZEventsReplayReply } from "@/prisma-free-schema";
import { afterThisTest } from "../shared/testing/platform-double";
import { EventLog } from "./event-log";
import type { TSidecarSettings } from "./sidecar-settings";
import { newRunId, type SandboxPlatform, startSandboxPlatform } from "./testing/sandbox-platform";

/**
 * The sidecar as a sandbox runs it: a separate process (`node --import tsx
 * operators/sidecar/main.ts`) with its settings in the environment. Killing it mid-turn and
 * starting another on the same event log is the crash the event log exists for.
 */
const REPO = path.resolve(__dirname, "../..");

function envOf(settings: Partial<TSidecarSettings>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [field, name] of Object.entries(SIDECAR_ENV)) {
    const value = settings[field as keyof TSidecarSettings];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function runSidecar(env: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("DISCOPARROT_")));
  const child = spawn(process.execPath, ["--import", "tsx", "operators/sidecar/main.ts"], { cwd: REPO, env: { ...inherited, ...env } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  afterThisTest(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited: withDeadline(exited, "the sidecar to exit"), output: () => stdout };
}

function withDeadline<T>(promise: Promise<T>, what: string, ms = 8_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))),
  ]);
}

/** The highest seq the platform has with none missing below it: where it would ask to replay from. */
function contiguousSeq(platform: SandboxPlatform, runId: string): number {
  let seq = 0;
  for (const event of platform.received(runId)) {
    if (event.seq !== seq + 1) break;
    seq = event.seq;
  }
  return seq;
}

describe("operators/sidecar/main.ts", () => {
  it("exits 2 naming the setting when one is missing or wrong", async () => {
    const platform = await startSandboxPlatform();
    const missing = runSidecar(envOf({ ...platform.settings, sandboxId: undefined }));
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain(`${SIDECAR_ENV.sandboxId} is not set`);

    const wrong = runSidecar(envOf({ ...platform.settings, agent: "command" }));
    expect(await wrong.exited).toBe(2);
    expect(wrong.output()).toContain(SIDECAR_ENV.agentCommand);
    expect(wrong.output()).not.toContain("access_token");
  });

  it("on SIGTERM, cancels the running turn, reports it ended cancelled, and exits 0", async () => {
    const platform = await startSandboxPlatform();
    const sidecar = runSidecar(envOf(platform.settings));
    await platform.waitForConnection();
    const runId = newRunId();
    await platform.command(SIDECAR_COMMANDS.turnStart, { runId, turn: 1, input: "echo working; sleep 30", conversation: [] });
    await platform.waitFor("the turn's output", () => platform.received(runId).find((event) => event.kind === "output"));

    sidecar.child.kill("SIGTERM");
    expect(await sidecar.exited).toBe(0);
    expect(await platform.waitForTurnEnd(runId, 1)).toMatchObject({ kind: "turn.ended", outcome: "cancelled" });
    expect(sidecar.output()).not.toContain("access_token=");
  });

  it("after a crash mid-turn, a new sidecar on the same log replays exactly the events the platform lacks", async () => {
    const platform = await startSandboxPlatform();
    const first = runSidecar(envOf(platform.settings));
    await platform.waitForConnection();
    const runId = newRunId();
    const script = "echo $$ > ../turn.pid; for i in 1 2 3 4 5 6 7 8; do echo step $i; sleep 0.2; done";
    await platform.command(SIDECAR_COMMANDS.turnStart, { runId, turn: 1, input: script, conversation: [] });
    await platform.waitFor("three steps", () => (platform.received(runId).length >= 4 ? true : undefined));

    first.child.kill("SIGKILL");
    await first.exited;
    // The crashed sidecar's shell lives on in its own group until its next write; end it.
    const pid = Number((await readFile(path.join(platform.settings.workspaceDir, "..", "turn.pid"), "utf8")).trim());
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }

    runSidecar(envOf(platform.settings));
    await platform.waitForConnection();
    expect(contiguousSeq(platform, runId)).toBeGreaterThanOrEqual(4);
    // The platform asks from further back than it must, so events of the crashed sidecar come again too.
    const afterSeq = 2;
    const before = platform.received(runId).filter((event) => event.seq <= afterSeq);
    platform.runEvents.length = 0;

    const reply = ZEventsReplayReply.parse((await platform.command(SIDECAR_COMMANDS.eventsReplay, { runId, afterSeq })).payload);
    const replayed = platform.runEvents.filter((event) => event.runId === runId);
    const log = EventLog.open(platform.settings.eventLog);
    const logged = await log.after(runId, 0);
    log.close();

    expect(replayed.map((event) => event.seq)).toEqual(logged.slice(afterSeq).map((event) => event.seq));
    expect(replayed.filter((event) => event.kind === "output" && event.text.startsWith("step")).length).toBeGreaterThanOrEqual(2);
    expect([...before, ...replayed]).toEqual(logged);
    expect(reply).toEqual({ sent: replayed.length, lastSeq: logged.at(-1)!.seq });
    // The interrupted turn was ended by the new sidecar, as failed.
    expect(replayed.at(-1)).toMatchObject({ kind: "turn.ended", outcome: "failed", exitCode: null });
  });
});
