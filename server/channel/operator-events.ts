import { CHANNEL_EVENTS, ZCheckIn } from "@/prisma-free-schema";
import { log } from "../log";
import { pushDockerPoolsInBackground } from "../services/hosts/docker-pools";
import { syncOperatorHost } from "../services/hosts/sync-operator-host";
import { recordCheckIn, recordOperatorConnected, recordOperatorDisconnected } from "../services/presence/host-presence";
import type { Store } from "../store/store";
import type { Channel } from "./channel";
import { type AdmittedEvent, badEvent, noContent, unknownEvent } from "./event-responses";

/** An admitted operator's events (`host:<id>`): presence, check-ins, and its host's reconciliation. */
export async function handleOperatorEvent(event: AdmittedEvent, channel: Channel, store: Store): Promise<Response> {
  const at = { workspaceId: event.workspaceId, hostId: event.id };

  switch (event.type) {
    case "azure.webpubsub.sys.connected":
      // A new client: what it understands is what its first check-in says.
      channel.platform.noteCapabilities(event.userId, undefined);
      await recordOperatorConnected(store, at);
      // Not awaited: the hub waits for this handler, and the operator answers only once it is connected.
      pushDockerPoolsInBackground(store, channel.platform, at, { onlyIfConfigured: true });
      void syncOperatorHost(store, channel.platform, at).catch((error: unknown) => log.warn("host.sync_failed", { ...at, error }));
      return noContent();
    case "azure.webpubsub.sys.disconnected":
      channel.platform.noteCapabilities(event.userId, undefined);
      await recordOperatorDisconnected(store, at, () => channel.platform.isConnected(event.userId));
      return noContent();
    case `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`: {
      const checkIn = ZCheckIn.safeParse(await event.body());
      if (!checkIn.success) return badEvent(event, checkIn.error);
      channel.platform.noteCapabilities(event.userId, checkIn.data.capabilities);
      await recordCheckIn(store, at, checkIn.data);
      return noContent();
    }
    default:
      return unknownEvent(event);
  }
}
