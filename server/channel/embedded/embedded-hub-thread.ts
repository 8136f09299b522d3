/** The embedded hub's own thread (see server/threads/embedded-thread.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { runEmbeddedThread } from "../../threads/embedded-thread";
import { type EmbeddedHubOptions, startEmbeddedHub } from "./embedded-hub";

runEmbeddedThread(parentPort!, workerData as EmbeddedHubOptions, startEmbeddedHub, ({ connectionString, endpoint }) => ({ connectionString, endpoint }));
