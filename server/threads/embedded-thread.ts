import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { log } from "../log";

/** What a thread's program says to the platform's thread, and is asked. */
export type ThreadMessage<Started> = { type: "started"; value: Started } | { type: "failed"; message: string } | { type: "stopped"; error?: string };
type ThreadRequest = { type: "stop" };

/** A program that runs on a thread of its own: its TypeScript source (in a checkout) and its bundle (beside the standalone server). */
export interface ThreadProgram {
  name: string;
  source: string;
  bundle: string;
}

/** The embedded stand-ins for Azure's services, each on a thread of its own (see startEmbeddedThread). */
export const EMBEDDED_COSMOS_PROGRAM: ThreadProgram = {
  name: "embedded store",
  source: path.join("server", "store", "embedded", "embedded-cosmos-thread.ts"),
  bundle: path.join("dist", "embedded-cosmos.cjs"),
};
export const EMBEDDED_HUB_PROGRAM: ThreadProgram = {
  name: "embedded hub",
  source: path.join("server", "channel", "embedded", "embedded-hub-thread.ts"),
  bundle: path.join("dist", "embedded-hub.cjs"),
};

/**
 * Starts `program` on a thread of its own and resolves with what it says once started. Azure's
 * Cosmos DB and Web PubSub run on other machines; their embedded stand-ins should not take the
 * platform's thread either, or every request the platform serves waits behind the store's
 * journaling and the hub's WebSocket frames (a chatty run's events are most of what both do).
 * The platform reaches them over loopback exactly as it would on its own thread.
 *
 * In production (NODE_ENV=production: `npm start`, the image) the thread runs the bundle `npm run
 * build` made; in development and tests, the TypeScript source through tsx (a worker does not
 * inherit its parent's loader), so a change to the source needs no rebuild.
 * A thread that dies takes its service with it: the process exits, as it would had the service
 * failed on the platform's thread, and a supervisor starts it again.
 */
export function startEmbeddedThread<Started>(program: ThreadProgram, workerData: unknown): Promise<{ value: Started; stop(): Promise<void> }> {
  const source = path.resolve(program.source);
  const bundle = path.resolve(program.bundle);
  // Production runs the bundle (the standalone folder may hold traced copies of the source, but not tsx).
  const fromSource = process.env.NODE_ENV !== "production" && fs.existsSync(source);
  if (!fromSource && !fs.existsSync(bundle)) return Promise.reject(new Error(`The ${program.name}'s program ${program.bundle} is missing; run \`npm run build\`.`));
  const worker = fromSource
    ? new Worker(`require(${JSON.stringify(tsxHook())}).register(); require(${JSON.stringify(source)});`, { eval: true, workerData })
    : new Worker(bundle, { workerData });
  let stopping = false;

  return new Promise((resolve, reject) => {
    const failedToStart = (error: Error) => {
      void worker.terminate();
      reject(error);
    };
    worker.once("error", failedToStart);
    worker.once("exit", (code) => failedToStart(new Error(`The ${program.name}'s thread exited (code ${code}) before it started.`)));
    worker.once("message", (message: ThreadMessage<Started>) => {
      worker.removeAllListeners("error").removeAllListeners("exit");
      if (message.type !== "started") return failedToStart(new Error(message.type === "failed" ? message.message : `The ${program.name}'s thread did not start.`));
      worker.on("error", (error) => log.error("platform.embedded_thread_failed", { program: program.name, error }));
      worker.on("exit", (code) => {
        if (stopping) return;
        log.error("platform.embedded_thread_exited", { program: program.name, code });
        process.exit(1);
      });
      resolve({
        value: message.value,
        async stop() {
          if (stopping) return;
          stopping = true;
          const stopped = new Promise<ThreadMessage<Started>>((done) => worker.once("message", done));
          worker.postMessage({ type: "stop" } satisfies ThreadRequest);
          const answer = await Promise.race([stopped, new Promise<undefined>((done) => setTimeout(done, STOP_GRACE_MS))]);
          await worker.terminate();
          if (answer?.type === "stopped" && answer.error) throw new Error(answer.error);
        },
      });
    });
  });
}

const STOP_GRACE_MS = 10_000;

/** Where an embedded stand-in runs: a thread of its own (the default), or the caller's (tests that look inside it). */
export type EmbeddedThread = "own" | "caller";

/** Starts an embedded stand-in where asked: on a thread of its own (`program`, the default), or on the caller's (`startHere`). */
export async function startEmbedded<Options, Value>(
  where: EmbeddedThread | undefined,
  program: ThreadProgram,
  options: Options,
  startHere: (options: Options) => Promise<Value & { stop(): Promise<void> }>,
): Promise<Value & { stop(): Promise<void> }> {
  if (where === "caller") return startHere(options);
  const { value, stop } = await startEmbeddedThread<Value>(program, options);
  return { ...value, stop };
}

/**
 * The thread's side: starts the service with what the platform's thread handed over, reports it
 * started (or why not), and stops it when asked.
 */
export function runEmbeddedThread<Options, Started>(parentPort: import("node:worker_threads").MessagePort, options: Options, start: (options: Options) => Promise<Started & { stop(): Promise<void> }>, describe: (started: Started) => unknown): void {
  const send = (message: ThreadMessage<unknown>) => parentPort.postMessage(message);
  start(options).then(
    (service) => {
      parentPort.on("message", (request: ThreadRequest) => {
        if (request.type !== "stop") return;
        service.stop().then(
          () => send({ type: "stopped" }),
          (error: unknown) => send({ type: "stopped", error: String((error as Error)?.message ?? error) }),
        );
      });
      send({ type: "started", value: describe(service) });
    },
    (error: unknown) => send({ type: "failed", message: String((error as Error)?.message ?? error) }),
  );
}

/** tsx's CommonJS hook, from the checkout's node_modules. */
function tsxHook(): string {
  return createRequire(path.resolve("package.json")).resolve("tsx/cjs/api");
}
