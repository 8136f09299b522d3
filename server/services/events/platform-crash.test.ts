import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TRunEvent } from "@/prisma-free-schema";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { runLogStore } from "../../store/run-log-store";
import { sandboxStore } from "../../store/sandbox-store";
import { openTestStore } from "../../testing/test-store";

/**
 * The platform killed with SIGKILL while a turn streams, and killed again while the sandbox's
 * sidecar is replaying what it logged meanwhile, and again: when it finally stays up, the stored
 * events run from 1 without a hole, and a watcher that reconnected with Last-Event-ID after each
 * crash (as EventSource does) got every line the agent printed, once, in order.
 */
const LINES = 3000;
/** One line every 2 ms: most become an event of their own, about 6 s of turn. */
const TURN = `'${process.execPath}' -e 'let i=0;const t=setInterval(()=>{console.log("line "+i);if(++i>=${LINES})clearInterval(t)},2)'`;
const FIXTURE = path.join(__dirname, "platform-crash.fixture.ts");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-crash-data-"));
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-crash-sandboxes-"));
const running: ChildProcess[] = [];

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  const store = await openTestStore(dataDir);
  try {
    const provider = new LocalProcessProvider(root);
    for (const { etag: _etag, ...sandbox } of await sandboxStore(store).listLive()) await provider.destroy(sandbox);
  } finally {
    await store.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  }
}, 60_000);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Platform {
  child: ChildProcess;
  /** Resolves with the first printed fact that has `key`. */
  fact<T>(key: string): Promise<T>;
}

function startPlatform(port: number, ...args: string[]): Platform {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, dataDir, String(port), root, ...args], {
    cwd: path.resolve(__dirname, "../../.."),
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.push(child);
  const facts: Record<string, unknown>[] = [];
  const waiting: { key: string; resolve(value: unknown): void }[] = [];
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const fact = JSON.parse(line) as Record<string, unknown>;
      facts.push(fact);
      for (const waiter of waiting.filter((candidate) => candidate.key in fact)) waiter.resolve(fact[waiter.key]);
    }
  });
  return {
    child,
    fact: <T>(key: string) =>
      new Promise<T>((resolve, reject) => {
        const known = facts.find((fact) => key in fact);
        if (known) return resolve(known[key] as T);
        waiting.push({ key, resolve: resolve as (value: unknown) => void });
        child.once("exit", () => reject(new Error(`the platform exited before saying ${key}`)));
      }),
  };
}

async function kill(platform: Platform): Promise<void> {
  const exited = new Promise((resolve) => platform.child.once("exit", resolve));
  platform.child.kill("SIGKILL");
  await exited;
}

/** A watcher as EventSource is: reads the stream, and after any drop reconnects with the last id it saw. */
function watch(url: string, bearer: string) {
  const events: TRunEvent[] = [];
  const stop = new AbortController();
  const ended = (async () => {
    let lastId = "0";
    while (!stop.signal.aborted) {
      try {
        const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}`, "last-event-id": lastId }, signal: stop.signal });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        const decoder = new TextDecoder();
        let text = "";
        const reader = response.body.getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          text += decoder.decode(read.value, { stream: true });
          let end;
          while ((end = text.indexOf("\n\n")) >= 0) {
            const frame = text.slice(0, end);
            text = text.slice(end + 2);
            const id = /^id: (\d+)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (!id || !data) continue;
            lastId = id;
            const event = JSON.parse(data) as TRunEvent;
            events.push(event);
            if (event.kind === "turn.ended") return;
          }
        }
      } catch {
        // The platform is down (or restarting): try again shortly, from the last id seen.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return { events, ended, stop: () => stop.abort() };
}

const outputLines = (events: TRunEvent[]) =>
  events
    .filter((event) => event.kind === "output")
    .map((event) => (event.kind === "output" ? event.text : ""))
    .join("")
    .split("\n")
    .filter(Boolean);

describe("a platform killed with SIGKILL during a turn and during the replay after it", () => {
  it("ends with every event stored from 1 without a hole, and every line delivered to the watcher once, in order", async () => {
    const port = await freePort();
    const first = startPlatform(port, "--start", TURN);
    const { runId, bearer } = await first.fact<{ runId: string; bearer: string }>("started");
    const watcher = watch(`http://127.0.0.1:${port}/api/runs/${runId}/events`, bearer);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Killed mid-turn; the sandbox keeps running and logging while the platform is away.
    await kill(first);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Twice killed as soon as it stores the first replayed event: mid-replay.
    for (let crash = 0; crash < 2; crash += 1) {
      const again = startPlatform(port, runId);
      await again.fact("stored");
      await kill(again);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const last = startPlatform(port, runId);
    await last.fact("ready");
    await Promise.race([watcher.ended, new Promise((_, reject) => setTimeout(() => reject(new Error("the watcher never saw the turn end")), 60_000))]);
    watcher.stop();
    await kill(last);

    const lines = Array.from({ length: LINES }, (_, i) => `line ${i}`);
    expect(outputLines(watcher.events)).toEqual(lines);
    expect(watcher.events.map((event) => event.seq)).toEqual(watcher.events.map((_, i) => i + 1));

    const store = await openTestStore(dataDir);
    try {
      const stored: TRunEvent[] = [];
      for (let page = await runLogStore(store).listEvents(runId, 0, 500); page.length > 0; page = await runLogStore(store).listEvents(runId, stored.at(-1)!.seq, 500)) stored.push(...page);
      expect(stored.map((event) => event.seq)).toEqual(stored.map((_, i) => i + 1));
      expect(outputLines(stored)).toEqual(lines);
      expect((await runLogStore(store).progress(runId))?.contiguousSeq).toBe(stored.length);
    } finally {
      await store.close();
    }
  }, 120_000);
});
