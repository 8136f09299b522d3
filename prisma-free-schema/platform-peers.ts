import { z } from "zod";
import { ZEnvelope } from "./channel-envelope";
import { ZPlatformUserId } from "./channel-protocol";
import { ZRunEvent } from "./run-event";

/**
 * What one platform process sends another over the hub, where several share it (server
 * messages, so only a holder of the hub's access key can send them): a command's reply that
 * reached the wrong process, passed on to the one waiting, naming the hub user it came from; and
 * run events one process stored, for the others watching that run.
 *
 * Not re-exported from the package index: the envelope uses Node's Buffer.
 */
export const PEER_RELAY_MAX_EVENTS = 2000;

export const ZPeerMessage = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("reply"), from: z.string().min(1).max(128), envelope: ZEnvelope }),
  z.object({
    kind: z.literal("run-events"),
    origin: ZPlatformUserId,
    events: z
      .array(ZRunEvent)
      .min(1)
      .max(PEER_RELAY_MAX_EVENTS)
      .refine((events) => events.every((event) => event.runId === events[0]!.runId), { message: "one message carries one run's events" }),
  }),
]);
export type TPeerMessage = z.infer<typeof ZPeerMessage>;
