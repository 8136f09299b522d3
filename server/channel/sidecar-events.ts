import { CHANNEL_EVENTS, SIDECAR_EVENTS, ZCheckIn, ZRunEvent } from "@/prisma-free-schema";
import { ZEnvelope } from "@/prisma-free-schema/channel-envelope";
import { log } from "../log";
import { acceptSidecarRunEvent } from "../services/events/accept-sidecar-run-event";
import { admitSidecar, recordSidecarConnected } from "../services/sandboxes/record-sidecar-connected";
import type { Store } from "../store/store";
import type { Channel } from "./channel";
import { admit, badEvent, type ChannelEvent, noContent, refuse, unknownEvent } from "./event-responses";

/**
 * A sidecar's events (`sandbox:<id>`): admission at connect, readiness and replay requests when
 * it connects, its run events, its replies and check-ins.
 */
export async function handleSidecarEvent(event: ChannelEvent & { sandboxId: string }, channel: Channel, store: Store): Promise<Response> {
  const { sandboxId } = event;
  if (event.type === "azure.webpubsub.sys.connect") {
    const admitted = await admitSidecar(store, sandboxId);
    if (admitted) return admit(admitted.workspaceId);
    log.info("channel.sidecar_refused", { sandboxId, connectionId: event.connectionId });
    return refuse(401, "This sandbox does not accept a sidecar connection now.");
  }
  if (!event.workspaceId) return refuse(400, "The connection carries no workspace; it was not admitted by this platform.");
  const at = { workspaceId: event.workspaceId, sandboxId };

  switch (event.type) {
    case "azure.webpubsub.sys.connected":
      await recordSidecarConnected(store, channel.platform, at);
      return noContent();
    case "azure.webpubsub.sys.disconnected":
      log.info("sandbox.sidecar_disconnected", at);
      return noContent();
    case `azure.webpubsub.user.${SIDECAR_EVENTS.runEvent}`: {
      const runEvent = ZRunEvent.safeParse(await event.body());
      if (!runEvent.success) return badEvent(event, runEvent.error);
      if (!(await acceptSidecarRunEvent(store, channel.platform, at, runEvent.data))) return refuse(400, "This sandbox is not serving that run.");
      return noContent();
    }
    case `azure.webpubsub.user.${CHANNEL_EVENTS.reply}`: {
      const envelope = ZEnvelope.safeParse(await event.body());
      if (!envelope.success) return badEvent(event, envelope.error);
      channel.platform.acceptReply(event.userId, envelope.data);
      return noContent();
    }
    case `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`: {
      // The shared client's heartbeat: acknowledged, nothing to record for a sandbox.
      const checkIn = ZCheckIn.safeParse(await event.body());
      return checkIn.success ? noContent() : badEvent(event, checkIn.error);
    }
    default:
      return unknownEvent(event);
  }
}
