import { CHANNEL_EVENTS, SIDECAR_EVENTS, ZCheckIn, ZRunEventBatch } from "@/prisma-free-schema";
import { log } from "../log";
import { acceptSidecarRunEvents } from "../services/events/accept-sidecar-run-events";
import { recordSidecarConnected } from "../services/sandboxes/record-sidecar-connected";
import type { Store } from "../store/store";
import type { Channel } from "./channel";
import { type AdmittedEvent, badEvent, noContent, refuse, unknownEvent } from "./event-responses";

/**
 * An admitted sidecar's events (`sandbox:<id>`): readiness and replay requests when it connects,
 * its run events and check-ins.
 */
export async function handleSidecarEvent(event: AdmittedEvent, channel: Channel, store: Store): Promise<Response> {
  const at = { workspaceId: event.workspaceId, sandboxId: event.id };

  switch (event.type) {
    case "azure.webpubsub.sys.connected":
      // A new client: what it understands is what its first check-in says.
      channel.platform.noteCapabilities(event.userId, undefined);
      await recordSidecarConnected(store, channel.platform, at);
      return noContent();
    case "azure.webpubsub.sys.disconnected":
      channel.platform.noteCapabilities(event.userId, undefined);
      log.info("sandbox.sidecar_disconnected", at);
      return noContent();
    case `azure.webpubsub.user.${SIDECAR_EVENTS.runEvents}`: {
      const batch = ZRunEventBatch.safeParse(await event.body());
      if (!batch.success) return badEvent(event, batch.error);
      if (!(await acceptSidecarRunEvents(store, channel.platform, at, batch.data))) return refuse(400, "This sandbox is not serving that run.");
      return noContent();
    }
    case `azure.webpubsub.user.${CHANNEL_EVENTS.checkIn}`: {
      // The shared client's heartbeat: nothing to record for a sandbox but what its client understands.
      const checkIn = ZCheckIn.safeParse(await event.body());
      if (!checkIn.success) return badEvent(event, checkIn.error);
      channel.platform.noteCapabilities(event.userId, checkIn.data.capabilities);
      return noContent();
    }
    default:
      return unknownEvent(event);
  }
}
