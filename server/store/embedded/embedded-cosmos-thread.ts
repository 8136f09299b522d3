/** The embedded store's own thread (see server/threads/embedded-thread.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { runEmbeddedThread } from "../../threads/embedded-thread";
import { startEmbeddedCosmos } from "./embedded-cosmos-server";

runEmbeddedThread(parentPort!, workerData as { dataDir: string }, startEmbeddedCosmos, ({ endpoint, key }) => ({ endpoint, key }));
