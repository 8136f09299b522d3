import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { CHANNEL_HUB, newId, SIDECAR_EVENTS, sandboxUserId, type TRunEvent, ZRunEventBatch } from "@/prisma-free-schema";
import type { ChannelMessage } from "@/prisma-free-schema/channel-envelope";
import { startEmbeddedHub } from "@/server/channel/embedded/embedded-hub";
import { HubEventRecorder } from "../../shared/testing/hub-event-recorder";
import { afterThisTest } from "../../shared/testing/platform-double";
import type { TSidecarSettings } from "../sidecar-settings";

/**
 * The platform as a sidecar sees it: real embedded hubs (more than one, so a test can move the
 * sidecar to another with `token.refresh`), one HTTP server as their CloudEvents handler that
 * keeps every run event and reassembles replies, and a sandbox on disk (workspace, access URL
 * file, event log path). Everything is stopped and removed after the test; every wait has a deadline.
 */
const WAIT_MS = 8_000;
const EVENT_HANDLER_PATH = "/api/channel/events";

type Hub = { service: WebPubSubServiceClient; stop(): Promise<void> };

export async function startSandboxPlatform() {
  const sandboxId = newId("sbx");
  const userId = sandboxUserId(sandboxId);
  const runEvents: TRunEvent[] = [];
  const recorder = new HubEventRecorder();
  const userEvents = recorder.events;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url !== EVENT_HANDLER_PATH) return void res.writeHead(404).end();
      recorder.handle(req, Buffer.concat(chunks).toString("utf8"), res, ({ event, data }) => {
        if (event === SIDECAR_EVENTS.runEvents) runEvents.push(...ZRunEventBatch.parse(data));
      });
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const eventHandlerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${EVENT_HANDLER_PATH}`;
  // Registered first, so closed last: hubs that stop after the test still report their disconnections.
  afterThisTest(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );


  async function startHub(): Promise<Hub> {
    const hub = await startEmbeddedHub({ eventHandlerUrl });
    const service = new WebPubSubServiceClient(hub.connectionString, CHANNEL_HUB, { allowInsecureConnection: true });
    let stopped = false;
    const stop = async () => {
      if (!stopped) await hub.stop();
      stopped = true;
    };
    afterThisTest(stop);
    return { service, stop };
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), "sidecar-"));
  afterThisTest(() => rm(dir, { recursive: true, force: true }));
  const settings: TSidecarSettings = {
    sandboxId,
    accessUrlFile: path.join(dir, "run", "access-url"),
    workspaceDir: path.join(dir, "workspace"),
    eventLog: path.join(dir, "state", "events.jsonl"),
    agent: "shell",
  };
  await mkdir(settings.workspaceDir, { recursive: true });
  await mkdir(path.dirname(settings.accessUrlFile), { recursive: true });

  let hub = await startHub();

  /** A client access URL for the sandbox's hub user on `on`: no roles, as the platform issues it. */
  async function issueUrl(on: Hub = hub): Promise<string> {
    return (await on.service.getClientAccessToken({ userId, roles: [], expirationTimeInMinutes: 10 })).url;
  }
  await writeFile(settings.accessUrlFile, `${await issueUrl()}\n`);

  const waitFor = <T>(what: string, check: () => T | undefined, ms?: number) =>
    recorder.waitFor(what, check, ms, () => `run events so far: ${runEvents.map((e) => `${e.seq}:${e.kind}`).join(" ")}`);

  return {
    sandboxId,
    userId,
    settings,
    runEvents,
    userEvents,
    get hub() {
      return hub;
    },
    startHub,
    /** From now on, commands go out through `next`. */
    useHub(next: Hub) {
      hub = next;
    },
    issueUrl,
    waitFor,
    /** Waits until the sidecar is connected to the current hub (it checks in as soon as it is). */
    waitForConnection: () => waitForValue("the sidecar to connect", () => hub.service.userExists(userId)),
    /** Sends a command the way the platform does and resolves with its (reassembled) reply. */
    command: (type: string, payload: unknown, ms = WAIT_MS): Promise<ChannelMessage> => recorder.command(hub.service, userId, type, payload, ms),
    /** The run's events received so far, by sequence number, each once. */
    received(runId: string): TRunEvent[] {
      const bySeq = new Map(runEvents.filter((event) => event.runId === runId).map((event) => [event.seq, event]));
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    },
    waitForTurnEnd: (runId: string, turn: number) =>
      waitFor(`turn ${turn} of ${runId} to end`, () => runEvents.find((event) => event.runId === runId && event.turn === turn && event.kind === "turn.ended")),
  };
}

/** Polls an asynchronous check until it is true (for facts only the hub knows, such as who is connected). */
async function waitForValue(what: string, check: () => Promise<boolean>, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export type SandboxPlatform = Awaited<ReturnType<typeof startSandboxPlatform>>;
export const newRunId = () => newId("run");
