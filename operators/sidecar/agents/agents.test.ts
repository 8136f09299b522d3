import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TRunEventBody } from "@/prisma-free-schema";
import type { AgentAdapter, AgentTurnResult } from "./agent-adapter";
import { commandAgent } from "./command-agent";
import { outputChunks } from "./output-chunks";
import { shellAgent } from "./shell-agent";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function workspace(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "agent-"));
  dirs.push(dir);
  return dir;
}

/** Runs one turn, recording every body with when it arrived. */
function runTurn(agent: AgentAdapter, workspaceDir: string, input: string, options: { signal?: AbortSignal; conversation?: [] } = {}) {
  const bodies: { at: number; body: TRunEventBody }[] = [];
  const done: Promise<AgentTurnResult> = agent.runTurn({
    input,
    conversation: options.conversation ?? [],
    workspaceDir,
    signal: options.signal ?? new AbortController().signal,
    emit: (body) => bodies.push({ at: Date.now(), body }),
  });
  return { bodies, done, of: <K extends TRunEventBody["kind"]>(kind: K) => bodies.map((b) => b.body).filter((b): b is Extract<TRunEventBody, { kind: K }> => b.kind === kind) };
}

/** Running, not a zombie (in a container, PID 1 may never reap the killed grandchild). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true;
  }
}

describe("the shell agent", () => {
  it("streams each line's output as it is written, in order", async () => {
    const turn = runTurn(shellAgent, await workspace(), "for i in 1 2 3; do echo step $i; sleep 0.2; done");
    expect(await turn.done).toEqual({ outcome: "succeeded", exitCode: 0 });
    const outputs = turn.bodies.filter((b) => b.body.kind === "output");
    expect(outputs.map((b) => b.body)).toEqual([1, 2, 3].map((i) => ({ kind: "output", stream: "stdout", text: `step ${i}\n` })));
    // Separate events, because they came separately: ~200 ms apart, not all at the end.
    expect(outputs[2]!.at - outputs[0]!.at).toBeGreaterThan(250);
    expect(turn.of("process.exited")).toEqual([{ kind: "process.exited", exitCode: 0, signal: null }]);
  });

  it("reports stderr, keeps ANSI colours, and fails on a non-zero exit", async () => {
    const turn = runTurn(shellAgent, await workspace(), "printf '\\033[31mred\\033[0m\\n'; echo oops >&2; exit 3");
    expect(await turn.done).toEqual({ outcome: "failed", exitCode: 3 });
    expect(turn.of("output")).toEqual(
      expect.arrayContaining([
        { kind: "output", stream: "stdout", text: "\u001b[31mred\u001b[0m\n" },
        { kind: "output", stream: "stderr", text: "oops\n" },
      ]),
    );
  });

  it("says which files the turn created, modified and deleted", async () => {
    const dir = await workspace();
    await writeFile(path.join(dir, "keep.txt"), "same");
    await writeFile(path.join(dir, "edit.txt"), "before");
    await writeFile(path.join(dir, "gone.txt"), "bye");
    const turn = runTurn(shellAgent, dir, "mkdir -p src && echo new > src/new.txt && echo after-edit > edit.txt && rm gone.txt");
    expect((await turn.done).outcome).toBe("succeeded");
    expect(turn.of("file.changed")).toEqual([
      { kind: "file.changed", path: "edit.txt", change: "modified" },
      { kind: "file.changed", path: "gone.txt", change: "deleted" },
      { kind: "file.changed", path: "src/new.txt", change: "created" },
    ]);
  });

  it("cancelled, ends the whole process group and the turn ends cancelled", async () => {
    const dir = await workspace();
    const controller = new AbortController();
    // A grandchild that ignores SIGTERM: only killing the group (then SIGKILL) ends it.
    const turn = runTurn(shellAgent, dir, "sh -c 'trap \"\" TERM; echo $$ > grandchild.pid; sleep 30' & wait", { signal: controller.signal });
    const pidFile = path.join(dir, "grandchild.pid");
    let pid = 0;
    for (const deadline = Date.now() + 5_000; !pid && Date.now() < deadline; ) {
      pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
      if (!pid) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(isAlive(pid)).toBe(true);
    const cancelledAt = Date.now();
    controller.abort();
    const result = await turn.done;
    expect(result.outcome).toBe("cancelled");
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    expect(isAlive(pid)).toBe(false);
    expect(turn.of("process.exited")).toHaveLength(1);
  });
});

describe("the command agent", () => {
  it("gets {input, conversation} on stdin; JSON-object lines are agent events, other lines output", async () => {
    const dir = await workspace();
    const script = path.join(dir, "..", `${path.basename(dir)}-agent.sh`);
    dirs.push(script);
    await writeFile(
      script,
      [
        "#!/bin/sh",
        "input=$(cat)",
        `echo '{"type":"thinking","text":"hm"}'`,
        "echo plain words",
        `echo "{\\"got\\":$input}"`,
        "echo '[1,2]'",
        "echo warning >&2",
        "printf 'no newline'",
      ].join("\n"),
    );
    const turn = runTurn(commandAgent(`sh ${script}`), dir, "do it");
    expect(await turn.done).toEqual({ outcome: "succeeded", exitCode: 0 });
    expect(turn.of("agent").map((b) => b.payload)).toEqual([{ type: "thinking", text: "hm" }, { got: { input: "do it", conversation: [] } }]);
    expect(turn.of("output").filter((b) => b.stream === "stdout").map((b) => b.text)).toEqual(["plain words\n", "[1,2]\n", "no newline"]);
    expect(turn.of("output").filter((b) => b.stream === "stderr").map((b) => b.text)).toEqual(["warning\n"]);
  });

  it("fails the turn when the CLI exits non-zero", async () => {
    const turn = runTurn(commandAgent("exit 7"), await workspace(), "x");
    expect(await turn.done).toEqual({ outcome: "failed", exitCode: 7 });
  });
});

describe("outputChunks", () => {
  it("slices long output without splitting a surrogate pair", () => {
    const text = `${"a".repeat(4)}😀${"b".repeat(3)}`;
    const chunks = outputChunks(text, 5);
    expect(chunks.join("")).toBe(text);
    expect(chunks[0]).toBe("aaaa");
    expect(chunks.every((chunk) => chunk.length <= 5)).toBe(true);
  });
});
