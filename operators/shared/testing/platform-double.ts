import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { afterEach } from "vitest";
import { CHANNEL_HUB, hostUserId, newId } from "@/prisma-free-schema";
import type { ChannelMessage } from "@/prisma-free-schema/channel-envelope";
import { startEmbeddedHub } from "@/server/channel/embedded/embedded-hub";
import { HubEventRecorder } from "./hub-event-recorder";

/**
 * The platform, as small as an operator test needs: the real embedded hub, and one HTTP server
 * that plays both platform routes an operator touches — the key exchange
 * (`POST /api/operators/token`) and the hub's CloudEvents handler (which is how check-ins and
 * replies reach the platform). Commands go out through `WebPubSubServiceClient.sendToUser`, as
 * the platform sends them. Everything started here is stopped after each test; every wait is on
 * an event with a deadline.
 */
export interface ExchangeRecord {
  at: number;
  body: { hostId?: string; key?: string; operatorVersion?: string };
  status: number;
}
export type { UserEvent } from "./hub-event-recorder";
export type ExchangeAnswer = { status: number; headers?: Record<string, string> };

const EVENT_HANDLER_PATH = "/api/channel/events";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Registers something to stop after the test (stopped in reverse order of registration). */
export function afterThisTest(cleanup: () => Promise<void> | void): void {
  cleanups.push(async () => void (await cleanup()));
}

export async function startPlatformDouble(options: { expiresInSeconds?: number; renewBeforeSeconds?: number } = {}) {
  const hostId = newId("host");
  const installKey = `opk_${randomUUID().replaceAll("-", "")}`;
  const grantTiming = { expiresInSeconds: options.expiresInSeconds ?? 3600, renewBeforeSeconds: options.renewBeforeSeconds ?? 300 };
  const exchanges: ExchangeRecord[] = [];
  const recorder = new HubEventRecorder();
  const { events } = recorder;
  const queuedAnswers: ExchangeAnswer[] = [];
  /** User events the handler takes but never answers: the hub then never acknowledges them. */
  const stalled = new Set<string>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.url === "/api/operators/token" && req.method === "POST") void exchange(body, res);
      else if (req.url === EVENT_HANDLER_PATH) recorder.handle(req, body, res, ({ event }) => !stalled.has(event));
      else res.writeHead(404).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const platformUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let hub = await startEmbeddedHub({ eventHandlerUrl: `${platformUrl}${EVENT_HANDLER_PATH}` });
  const port = Number(new URL(hub.endpoint).port);
  const accessKey = /AccessKey=([^;]+)/.exec(hub.connectionString)![1]!;
  const service = new WebPubSubServiceClient(hub.connectionString, CHANNEL_HUB, { allowInsecureConnection: true });

  async function exchange(raw: string, res: http.ServerResponse) {
    const body = JSON.parse(raw) as ExchangeRecord["body"];
    const queued = queuedAnswers.shift();
    const status = queued?.status ?? (body.key === installKey && body.hostId === hostId ? 200 : 401);
    exchanges.push({ at: Date.now(), body, status });
    recorder.notify();
    if (status !== 200) {
      res.writeHead(status, { "content-type": "application/json", ...queued?.headers }).end(JSON.stringify({ error: "Unauthorized" }));
      return;
    }
    const { expiresInSeconds, renewBeforeSeconds } = grantTiming;
    // The token itself lives a whole minute or more; the double reports the short expiry it is told to.
    const { url } = await service.getClientAccessToken({ userId: hostUserId(hostId), expirationTimeInMinutes: Math.max(1, Math.ceil(expiresInSeconds / 60)), roles: [] });
    const expiresAt = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url, expiresAt, renewBeforeSeconds }));
  }

  const waitFor = recorder.waitFor.bind(recorder);

  const double = {
    hostId,
    installKey,
    platformUrl,
    service,
    exchanges,
    events,
    grantTiming,
    get hub() {
      return hub;
    },
    settings: { platformUrl, hostId, installKey },
    /** The next exchanges get these answers, in order; then the double grants again. */
    answerExchanges(...answers: ExchangeAnswer[]) {
      queuedAnswers.push(...answers);
    },
    /** From now on, `event` user events are never answered (a platform that hangs on them). */
    stall(event: string) {
      stalled.add(event);
    },
    waitFor,
    waitForExchanges: (count: number) => waitFor(`${count} key exchange(s)`, () => (exchanges.length >= count ? exchanges.slice(0, count) : undefined)),
    waitForCheckIn: (after = 0) => waitFor("a check-in", () => events.find((event) => event.event === "checkin" && event.at >= after)),
    /** Sends a command the way the platform does and resolves with its (reassembled) reply. */
    command: (type: string, payload: unknown): Promise<ChannelMessage> => recorder.command(service, hostUserId(hostId), type, payload),
    commandBatch: (commands: { type: string; payload: unknown }[]): Promise<ChannelMessage[]> => recorder.commandBatch(service, hostUserId(hostId), commands),
    isConnected: () => service.userExists(hostUserId(hostId)),
    /** Stops the hub and starts it again on the same port and access key: a platform restart. */
    async restartHub() {
      await hub.stop();
      hub = await startEmbeddedHub({ port, accessKey, eventHandlerUrl: `${platformUrl}${EVENT_HANDLER_PATH}` });
    },
  };

  afterThisTest(async () => {
    await hub.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });
  return double;
}

export type PlatformDouble = Awaited<ReturnType<typeof startPlatformDouble>>;
