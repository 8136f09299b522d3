import fs from "node:fs";
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { TRunEvent } from "@/prisma-free-schema";
import type { Store } from "../store/store";
import { runLogStore } from "../store/run-log-store";
import { openTestStore } from "./test-store";
import { LocalProcessProvider } from "../providers/managed/local-process-provider";
import { sandboxStore } from "../store/sandbox-store";

/**
 * The platform as a process of its own (server/services/events/platform-crash.fixture.ts), for
 * tests that kill it with SIGKILL, and a watcher of a run's stream that reconnects as EventSource does.
 */
const FIXTURE = path.resolve(__dirname, "../services/events/platform-crash.fixture.ts");

export interface PlatformProcess {
  child: ChildProcess;
  /** Resolves with the first printed fact that has `key`. */
  fact<T>(key: string): Promise<T>;
  /** Resolves with the first fact under `key` that `holds`, printed within `timeoutMs`; else the last one (or undefined). */
  factWhere<T>(key: string, holds: (value: T) => boolean, timeoutMs: number): Promise<T | undefined>;
}

export { freePort } from "./shared-services";

/** Starts the platform on `dataDir` and `port`, its managed sandboxes under `root`; `running` collects it for cleanup. */
export interface PlatformPlace {
  dataDir: string;
  port: number;
  root: string;
  running: ChildProcess[];
  /** Another program than the crash fixture, taking the same first three arguments. */
  fixture?: string;
  env?: Record<string, string>;
}

export function startPlatformProcess(place: PlatformPlace, ...args: string[]): PlatformProcess {
  const { dataDir, port, root, running } = place;
  const child = spawn(process.execPath, ["--import", "tsx", place.fixture ?? FIXTURE, dataDir, String(port), root, ...args], {
    cwd: path.resolve(__dirname, "../.."),
    env: { ...process.env, LOG_LEVEL: "warn", ...place.env },
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
    async factWhere<T>(key: string, holds: (value: T) => boolean, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const values = facts.filter((fact) => key in fact).map((fact) => fact[key] as T);
        const found = values.find(holds);
        if (found !== undefined || Date.now() > deadline || child.exitCode !== null) return found ?? values.at(-1);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    fact: <T>(key: string) =>
      new Promise<T>((resolve, reject) => {
        const known = facts.find((fact) => key in fact);
        if (known) return resolve(known[key] as T);
        waiting.push({ key, resolve: resolve as (value: unknown) => void });
        child.once("exit", () => reject(new Error(`the platform exited before saying ${key}`)));
      }),
  };
}

/**
 * The end of a test of platform processes: they are killed, the managed sandboxes they left
 * (which outlive them by design) are removed, and so are the data and sandbox folders.
 */
export async function removePlatformPlace(place: PlatformPlace): Promise<void> {
  for (const child of place.running) child.kill("SIGKILL");
  const store = await openTestStore(place.dataDir);
  try {
    const provider = new LocalProcessProvider(place.root);
    for (const { etag: _etag, ...sandbox } of await sandboxStore(store).listLive()) await provider.destroy(sandbox).catch(() => undefined);
  } finally {
    await store.destroy();
    fs.rmSync(place.root, { recursive: true, force: true });
  }
}

export async function kill(platform: PlatformProcess): Promise<void> {
  const exited = new Promise((resolve) => platform.child.once("exit", resolve));
  platform.child.kill("SIGKILL");
  await exited;
}

/** A watcher as EventSource is: reads the stream, and after any drop reconnects with the last id it saw. */
export function watch(url: string, bearer: string, options: { retryMs?: number } = {}) {
  const events: TRunEvent[] = [];
  /** performance.now() when each event arrived, beside `events`. */
  const receivedAt: number[] = [];
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
            receivedAt.push(performance.now());
            if (event.kind === "turn.ended") return;
          }
        }
      } catch {
        // The platform is down (or restarting): try again shortly, from the last id seen.
      }
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 100));
    }
  })();
  return { events, receivedAt, ended, stop: () => stop.abort() };
}

export const outputLines = (events: TRunEvent[]) =>
  events
    .filter((event) => event.kind === "output")
    .map((event) => (event.kind === "output" ? event.text : ""))
    .join("")
    .split("\n")
    .filter(Boolean);


/**
 * The end of a crash test: the platform started once more, left up until the watcher sees the turn
 * end, then stopped; what the watcher got, and what the store holds (events in seq order, and the
 * run's watermark).
 */
export async function lastStart(
  place: PlatformPlace,
  runId: string,
  watcher: ReturnType<typeof watch>,
  withinMs: number,
): Promise<{ watched: TRunEvent[]; stored: TRunEvent[]; contiguousSeq: number | undefined }> {
  const last = startPlatformProcess(place, runId);
  await last.fact("ready");
  await Promise.race([watcher.ended, new Promise((_, reject) => setTimeout(() => reject(new Error("the watcher never saw the turn end")), withinMs))]);
  watcher.stop();
  await kill(last);
  const store = await openTestStore(place.dataDir);
  try {
    return { watched: watcher.events, stored: await storedEvents(store, runId), contiguousSeq: (await runLogStore(store).progress(runId))?.contiguousSeq };
  } finally {
    await store.close();
  }
}

/** Every event stored for the run, in seq order. */
export async function storedEvents(store: Store, runId: string): Promise<TRunEvent[]> {
  const stored: TRunEvent[] = [];
  for (let page = await runLogStore(store).listEvents(runId, 0, 500); page.length > 0; page = await runLogStore(store).listEvents(runId, stored.at(-1)!.seq, 500)) stored.push(...page);
  return stored;
}
