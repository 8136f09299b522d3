import { CHANNEL_EVENTS, ZCheckIn } from "@/prisma-free-schema";
import { ZEnvelope } from "@/prisma-free-schema/channel-envelope";
import { log } from "../log";
import { pushDockerPoolsInBackground } from "../services/hosts/docker-pools";
import { repairDockerHost } from "../services/hosts/repair-docker-host";
import { admitOperator, recordCheckIn, recordOperatorConnected, recordOperatorDisconnected } from "../services/presence/host-presence";
import type { Store } from "../store/store";
import type { Channel } from "./channel";
import { admit, badEvent, type ChannelEvent, noContent, refuse, unknownEvent } from "./event-responses";

/** An operator's events (`host:<id>`): admission at connect, presence, check-ins and replies. */
export async function handleOperatorEvent(event: ChannelEvent & { hostId: string }, channel: Channel, store: Store): Promise<Response> {
  const { hostId } = event;
  if (event.type === "azure.webpubsub.sys.connect") {
    const admitted = await admitOperator(store, hostId);
    if (admitted) return admit(admitted.workspaceId);
    log.info("channel.operator_refused", { hostId, connectionId: event.connectionId });
    return refuse(401, "This host does not accept an operator connection now.");
  }
  if (!event.workspaceId) return refuse(400, "The connection carries no workspace; it was not admitted by this platform.");
  const at = { workspaceId: event.workspaceId, hostId };

  switch (event.type) {
    case "azure.webpubsub.sys.connected":
      await recordOperatorConnected(store, at);
      // Not awaited: the hub waits for this handler, and the operator answers only once it is connected.
      pushDockerPoolsInBackground(store, channel.platform, at, { onlyIfConfigured: true });
      void repairDockerHost(store, channel.platform, at).catch((error: unknown) => log.warn("host.docker_repair_failed", { ...at, error }));
      return noContent();
    case "azure.webpubsub.sys.disconnected":
      await recordOperatorDisconnected(store, at, () => channel.platform.isConnected(event.userId));
      return noContent();
    case `azure.webpubsub.user.${CHANNEL_EVENTS.reply}`: {
      const envelope = ZEnvelope.safeParse(await event.body());
      if (!envelope.success) return badEvent(event, envelope.error);
      channel.platform.acceptReply(event.userId, envelope.data);
      return noContent();
    }
    case `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`: {
      const checkIn = ZCheckIn.safeParse(await event.body());
      if (!checkIn.success) return badEvent(event, checkIn.error);
      await recordCheckIn(store, at, checkIn.data);
      return noContent();
    }
    default:
      return unknownEvent(event);
  }
}
