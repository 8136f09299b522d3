import { DefaultAzureCredential } from "@azure/identity";
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { CHANNEL_HUB } from "@/prisma-free-schema";
import type { Env } from "../env";
import { AppError } from "../errors";
import { log } from "../log";
import { EMBEDDED_HUB_PROGRAM, type EmbeddedThread, startEmbedded } from "../threads/embedded-thread";
import { type EmbeddedHub, type EmbeddedHubOptions, startEmbeddedHub } from "./embedded/embedded-hub";
import { accessKeyClient } from "./access-key-client";
import { accessKeyOf, type EventAuthenticity } from "./event-authenticity";
import { PlatformChannel } from "./platform-channel";
import { type PeerOptions, PlatformPeers } from "./platform-peers";
import { getRunEventBus, type RunEventBus } from "../services/events/run-event-bus";

/** Where the hub posts its CloudEvents, on this platform. */
export const EVENT_HANDLER_PATH = "/api/channel/events";

export interface Channel {
  mode: Env["channel"]["mode"];
  platform: PlatformChannel;
  /** This process among the others on a shared hub (none on a hub of its own). */
  peers?: PlatformPeers;
  authenticity: EventAuthenticity;
  /** The hub's host, which it names in `WebHook-Request-Origin` and we allow in the handshake. */
  hubHost: string;
  close(): Promise<void>;
}

export interface ChannelOptions {
  eventHandlerUrl: string;
  embeddedThread?: EmbeddedThread;
  peers?: PeerOptions;
}

/**
 * Opens the channel this process uses: Azure Web PubSub when a connection string or endpoint is
 * set, otherwise an embedded hub on a loopback port that posts its events to `eventHandlerUrl`.
 * Past this point nothing knows which one it is talking to.
 */
export async function openChannel(settings: Env["channel"], options: ChannelOptions): Promise<Channel> {
  let embedded: Pick<EmbeddedHub, "connectionString" | "stop"> | undefined;
  let service: WebPubSubServiceClient;
  let authenticity: EventAuthenticity;
  if (settings.mode === "azure-identity") {
    service = new WebPubSubServiceClient(settings.endpoint, new DefaultAzureCredential(), CHANNEL_HUB);
    authenticity = { kind: "handler-secret", secret: settings.eventHandlerSecret };
  } else {
    let connectionString: string;
    if (settings.mode === "embedded") {
      const hub = await startEmbedded<EmbeddedHubOptions, { connectionString: string }>(
        options.embeddedThread,
        EMBEDDED_HUB_PROGRAM,
        { port: settings.port, eventHandlerUrl: options.eventHandlerUrl },
        startEmbeddedHub,
      );
      embedded = hub;
      connectionString = hub.connectionString;
    } else {
      connectionString = settings.connectionString;
    }
    // Plain http only ever reaches the embedded hub on loopback; Azure is https.
    const insecure = /endpoint=http:/i.test(connectionString);
    service = accessKeyClient(connectionString, CHANNEL_HUB, { allowInsecureConnection: insecure });
    authenticity = { kind: "access-key", accessKey: accessKeyOf(connectionString) };
  }
  const platform = new PlatformChannel(service);
  // A hub of this process's own has no one else on it; one configured by settings may be shared.
  const peers = embedded ? undefined : joinPeers(platform, getRunEventBus(), options.peers);
  return {
    mode: settings.mode,
    platform,
    peers,
    authenticity,
    hubHost: new URL(service.endpoint).host,
    async close() {
      peers?.stop();
      platform.close();
      await embedded?.stop();
    },
  };
}

/**
 * Joins the other platform processes on the hub: replies for this process come back to it
 * wherever the hub posts them, and the runs watched here hear of events stored anywhere.
 */
function joinPeers(platform: PlatformChannel, bus: RunEventBus, options?: PeerOptions): PlatformPeers {
  const peers = PlatformPeers.start(
    platform.service,
    {
      reply: (from, envelope) => platform.acceptOwnReply(from, envelope),
      runEvents: (events) => bus.deliver(events),
      resync: () => bus.resync(),
    },
    options,
  );
  platform.joinPeers(peers);
  bus.connectPeers(peers);
  void peers.connected.then(() => log.info("channel.peers_joined", { address: peers.address }));
  return peers;
}

const CHANNEL_KEY = Symbol.for("discoparrot.channel");
type ChannelHolder = { [CHANNEL_KEY]?: Promise<Channel> };

/**
 * Opens this process's channel once; boot calls it, route handlers get the same one. Kept on
 * globalThis because Next.js may load this module in more than one bundle.
 */
export function startChannel(settings: Env["channel"], options: ChannelOptions): Promise<Channel> {
  const holder = globalThis as ChannelHolder;
  if (!holder[CHANNEL_KEY]) {
    holder[CHANNEL_KEY] = openChannel(settings, options).then((channel) => {
      log.info("channel.opened", { mode: channel.mode, hub: channel.hubHost });
      return channel;
    });
    holder[CHANNEL_KEY].catch(() => delete holder[CHANNEL_KEY]);
  }
  return holder[CHANNEL_KEY];
}

/** Closes this process's channel (the embedded hub ends every connection) and forgets it, so it can be opened again. */
export async function closeChannel(): Promise<void> {
  const holder = globalThis as ChannelHolder;
  const channel = holder[CHANNEL_KEY];
  delete holder[CHANNEL_KEY];
  await (await channel?.catch(() => undefined))?.close();
}

/** This process's channel; fails if boot has not opened it (or could not). */
export function getChannel(): Promise<Channel> {
  const channel = (globalThis as ChannelHolder)[CHANNEL_KEY];
  // UNAVAILABLE (503), not a 500: a caller asking for something that needs the channel did nothing wrong.
  if (!channel) return Promise.reject(new AppError("UNAVAILABLE", "The messaging channel is not open."));
  return channel;
}
