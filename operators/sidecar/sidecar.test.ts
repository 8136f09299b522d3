import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SIDECAR_COMMANDS, ZEventsReplayReply, ZFilesReadReply, ZSandboxHealthReply, ZTurnCancelReply } from "@/prisma-free-schema";
import { createOperatorLog } from "../shared/operator-log";
import { afterThisTest } from "../shared/testing/platform-double";
import { FAST_TIMING } from "../shared/testing/started-channel";
import { ZProcessRunReply } from "@/prisma-free-schema";
import { Sidecar } from "./sidecar";
import { newRunId, type SandboxPlatform, startSandboxPlatform } from "./testing/sandbox-platform";

/** A Sidecar object on the platform's sandbox, running, stopped after the test. */
function startSidecar(platform: SandboxPlatform) {
  const lines: string[] = [];
  const sidecar = new Sidecar({ settings: platform.settings, log: createOperatorLog({ level: "debug", write: (line) => lines.push(line) }), timing: FAST_TIMING });
  const outcome = sidecar.run();
  afterThisTest(() => sidecar.stop());
  return { sidecar, outcome, lines };
}

const turnStart = (runId: string, input: string, turn = 1) => ({ runId, turn, input, conversation: [] });

describe("the sidecar on the channel", () => {
  it("streams a turn's run events to the platform, numbered from 1, wrapped in turn.started and turn.ended", async () => {
    const platform = await startSandboxPlatform();
    startSidecar(platform);
    await platform.waitForConnection();
    const runId = newRunId();

    const reply = await platform.command(SIDECAR_COMMANDS.turnStart, turnStart(runId, "for i in 1 2 3; do echo step $i; sleep 0.2; done; echo hi > hello.txt"));
    expect(reply.error).toBeUndefined();
    expect(reply.payload).toEqual({ accepted: true, repeated: false });
    await platform.waitForTurnEnd(runId, 1);

    const events = platform.received(runId);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.kind)).toEqual(["turn.started", "output", "output", "output", "file.changed", "process.exited", "turn.ended"]);
    expect(events.filter((event) => event.kind === "output").map((event) => event.kind === "output" && event.text)).toEqual(["step 1\n", "step 2\n", "step 3\n"]);
    expect(events.at(-1)).toMatchObject({ kind: "turn.ended", outcome: "succeeded", exitCode: 0, turn: 1 });

    const health = ZSandboxHealthReply.parse((await platform.command(SIDECAR_COMMANDS.health, {})).payload);
    expect(health).toEqual({ sandboxId: platform.sandboxId, agent: "shell", busy: false, lastSeq: { [runId]: 7 } });
  });

  it("numbers a turn's events after the afterSeq the platform gives (a run moved from another sandbox)", async () => {
    const platform = await startSandboxPlatform();
    startSidecar(platform);
    await platform.waitForConnection();
    const runId = newRunId();
    await platform.command(SIDECAR_COMMANDS.turnStart, { runId, turn: 3, input: "echo again", conversation: [], afterSeq: 40 });
    await platform.waitForTurnEnd(runId, 3);
    expect(platform.received(runId).map((event) => event.seq)).toEqual([41, 42, 43, 44]);
  });

  it("runs a turn once however often it is handed over: while it runs, after it ended, and after a restart of the sidecar", async () => {
    const platform = await startSandboxPlatform();
    const first = startSidecar(platform);
    await platform.waitForConnection();
    const runId = newRunId();
    const start = turnStart(runId, "echo once; sleep 0.5");
    expect((await platform.command(SIDECAR_COMMANDS.turnStart, start)).payload).toEqual({ accepted: true, repeated: false });
    expect((await platform.command(SIDECAR_COMMANDS.turnStart, start)).payload).toEqual({ accepted: true, repeated: true });
    await platform.waitForTurnEnd(runId, 1);
    // The platform that sent it died before hearing back; the next one hands the same turn over again.
    expect((await platform.command(SIDECAR_COMMANDS.turnStart, start)).payload).toEqual({ accepted: true, repeated: true });
    await first.sidecar.stop();
    startSidecar(platform);
    await platform.waitForConnection();
    expect((await platform.command(SIDECAR_COMMANDS.turnStart, start)).payload).toEqual({ accepted: true, repeated: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(platform.received(runId).filter((event) => event.kind === "turn.started")).toHaveLength(1);
    expect(platform.received(runId).filter((event) => event.kind === "output").map((event) => event.kind === "output" && event.text)).toEqual(["once\n"]);
    // The run's next turn is a new one, and runs.
    expect((await platform.command(SIDECAR_COMMANDS.turnStart, turnStart(runId, "echo next", 2))).payload).toEqual({ accepted: true, repeated: false });
    await platform.waitForTurnEnd(runId, 2);
  });

  it("stops for good when told its sandbox was destroyed where its host cannot remove it", async () => {
    const platform = await startSandboxPlatform();
    const { outcome } = startSidecar(platform);
    await platform.waitForConnection();
    expect((await platform.command(SIDECAR_COMMANDS.shutdown, {})).payload).toEqual({ stopping: true });
    // Its run ends: the channel closes and the program's main returns, so the process exits.
    await expect(outcome).resolves.toBeDefined();
  });

  it("refuses a second turn while one runs (busy), and cancels the running one", async () => {
    const platform = await startSandboxPlatform();
    startSidecar(platform);
    await platform.waitForConnection();
    const runId = newRunId();

    await platform.command(SIDECAR_COMMANDS.turnStart, turnStart(runId, "echo started; sleep 30"));
    await platform.waitFor("the turn's first output", () => platform.runEvents.find((event) => event.kind === "output"));
    const second = await platform.command(SIDECAR_COMMANDS.turnStart, turnStart(newRunId(), "echo no"));
    expect(second.error?.code).toBe("busy");

    const cancel = await platform.command(SIDECAR_COMMANDS.turnCancel, { runId, turn: 1 });
    expect(ZTurnCancelReply.parse(cancel.payload)).toEqual({ cancelled: true });
    expect(await platform.waitForTurnEnd(runId, 1)).toMatchObject({ outcome: "cancelled" });
    expect((await platform.command(SIDECAR_COMMANDS.turnCancel, { runId, turn: 1 })).payload).toEqual({ cancelled: false });
  });

  it("replays a run's events after a given seq, in order, each once", async () => {
    const platform = await startSandboxPlatform();
    startSidecar(platform);
    await platform.waitForConnection();
    const runId = newRunId();
    await platform.command(SIDECAR_COMMANDS.turnStart, turnStart(runId, "echo a; echo b"));
    await platform.waitForTurnEnd(runId, 1);
    const all = platform.received(runId);
    platform.runEvents.length = 0;

    const reply = await platform.command(SIDECAR_COMMANDS.eventsReplay, { runId, afterSeq: 2 });
    expect(ZEventsReplayReply.parse(reply.payload)).toEqual({ sent: all.length - 2, lastSeq: all.length });
    // Every replayed event reached the platform before the reply did.
    expect(platform.runEvents).toEqual(all.slice(2));
  });

  it("writes a refreshed access URL to its file, and connects with it next time", async () => {
    const platform = await startSandboxPlatform();
    startSidecar(platform);
    await platform.waitForConnection();
    const first = platform.hub;

    // The platform moves the sandbox to another hub: a URL only that hub accepts.
    const second = await platform.startHub();
    const url = await platform.issueUrl(second);
    const reply = await platform.command(SIDECAR_COMMANDS.tokenRefresh, { url, expiresAt: new Date(Date.now() + 600_000).toISOString() });
    expect(reply.payload).toEqual({ refreshed: true, persisted: true });
    expect((await readFile(platform.settings.accessUrlFile, "utf8")).trim()).toBe(url);

    platform.useHub(second);
    await first.stop();
    await platform.waitForConnection();
    const health = await platform.command(SIDECAR_COMMANDS.health, {});
    expect(ZSandboxHealthReply.parse(health.payload).sandboxId).toBe(platform.sandboxId);
  });

  it("reads and writes workspace files, and refuses paths that leave the workspace", async () => {
    const platform = await startSandboxPlatform();
    startSidecar(platform);
    await platform.waitForConnection();
    const { workspaceDir } = platform.settings;

    const written = await platform.command(SIDECAR_COMMANDS.filesWrite, { path: "notes/today.md", base64: Buffer.from("# hi\n").toString("base64") });
    expect(written.payload).toEqual({ bytes: 5 });
    expect(await readFile(path.join(workspaceDir, "notes/today.md"), "utf8")).toBe("# hi\n");
    const read = ZFilesReadReply.parse((await platform.command(SIDECAR_COMMANDS.filesRead, { path: "notes/today.md" })).payload);
    expect(Buffer.from(read.base64, "base64").toString()).toBe("# hi\n");

    // A large file travels as a chunked reply.
    const big = Buffer.alloc(300 * 1024, 7);
    await writeFile(path.join(workspaceDir, "big.bin"), big);
    const bigRead = ZFilesReadReply.parse((await platform.command(SIDECAR_COMMANDS.filesRead, { path: "big.bin" })).payload);
    expect(bigRead.bytes).toBe(big.length);
    expect(Buffer.from(bigRead.base64, "base64").equals(big)).toBe(true);

    expect((await platform.command(SIDECAR_COMMANDS.filesRead, { path: "../x" })).error?.code).toBe("invalid_input");
    expect((await platform.command(SIDECAR_COMMANDS.filesRead, { path: "/etc/passwd" })).error?.code).toBe("invalid_input");
    const outsideDir = path.dirname(platform.settings.eventLog);
    await mkdir(outsideDir, { recursive: true });
    await writeFile(path.join(outsideDir, "secret.txt"), "no");
    await symlink(outsideDir, path.join(workspaceDir, "escape"));
    expect((await platform.command(SIDECAR_COMMANDS.filesRead, { path: "escape/secret.txt" })).error?.code).toBe("outside_workspace");
    expect((await platform.command(SIDECAR_COMMANDS.filesWrite, { path: "escape/new.txt", base64: "" })).error?.code).toBe("outside_workspace");
    expect((await platform.command(SIDECAR_COMMANDS.filesRead, { path: "missing.txt" })).error?.code).toBe("not_found");
  });

  it("runs a command outside any run and answers with its output", async () => {
    const platform = await startSandboxPlatform();
    startSidecar(platform);
    await platform.waitForConnection();
    await writeFile(path.join(platform.settings.workspaceDir, "a.txt"), "");

    const reply = await platform.command(SIDECAR_COMMANDS.processRun, { command: "ls; echo err >&2; exit 4" });
    expect(ZProcessRunReply.parse(reply.payload)).toEqual({ exitCode: 4, signal: null, stdout: "a.txt\n", stderr: "err\n", truncated: false });
    expect(platform.runEvents).toEqual([]);
  });
});
