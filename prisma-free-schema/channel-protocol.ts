import { z } from "zod";
import { ZEnvelope } from "./channel-envelope";
import { ZHostId } from "./host";
import { ZWarmPoolCounts } from "./warm-pool-report";

/**
 * The names both ends of the channel agree on: the hub, who is who on it, and the events an
 * operator sends up. Commands and replies themselves travel in the envelope of
 * `channel-envelope.ts`; this file holds what is not an envelope.
 */
export const CHANNEL_HUB = "discoparrot";

/**
 * The reply address of a platform that runs alone on its hub (the embedded one): replies reach it
 * as user events, at its own event handler.
 */
export const PLATFORM_USER = "platform";

/**
 * Where several platform processes share one hub, each is a hub user of its own, `platform:<id>`,
 * and names itself as its commands' reply address. A reply is posted to whichever process the
 * hub's event handler reaches; that one passes it on to the process named (platform-peers.ts).
 */
export const platformUserId = (processId: string) => `platform:${processId}`;
export const ZPlatformUserId = z.string().regex(/^platform:[a-z0-9]{8,40}$/, { message: "A platform address looks like platform:<process id>" });

/** A platform process's hub group for the live events of one run it has watchers of. */
export const platformRunGroup = (runId: string) => `platform.run.${runId}`;

/** An operator is one hub user per host. */
export const hostUserId = (hostId: string) => `host:${hostId}`;
export const ZHostUserId = z.templateLiteral(["host:", ZHostId]);

/** What operators send up with `sendEvent(name, data, "json")`. */
export const CHANNEL_EVENTS = {
  /** One envelope of a reply to a platform command. */
  reply: "reply",
  /**
   * Several reply envelopes at once (`ZReplyBatch`): whatever replies were ready while the last
   * upstream event was in flight. The hub hands a connection's events to the platform one at a
   * time, in order, so one event per reply would queue a hundred concurrent answers behind one
   * another; one event for all that are ready does not.
   */
  replies: "replies",
  /** The operator's periodic check-in. */
  checkIn: "checkin",
} as const;

/** How many reply envelopes, and how many bytes of them, one `replies` event carries at most. */
export const REPLY_BATCH_MAX_ENVELOPES = 64;
export const REPLY_BATCH_MAX_BYTES = 512 * 1024;
/** Several reply envelopes sent up as one event (CHANNEL_EVENTS.replies). */
export const ZReplyBatch = z.array(ZEnvelope).min(1).max(REPLY_BATCH_MAX_ENVELOPES);

/**
 * Several command envelopes sent down as one message, to a client that announced
 * CHANNEL_CAPABILITIES.commandBatches: the mirror of `replies`, so a hundred concurrent commands
 * to one operator are one hub request, not a hundred.
 */
export const COMMAND_BATCH_MAX_ENVELOPES = 64;
export const COMMAND_BATCH_MAX_BYTES = 512 * 1024;
export const ZCommandBatch = z.array(ZEnvelope).min(1).max(COMMAND_BATCH_MAX_ENVELOPES);

/** The error codes an operator or sidecar answers a command with, besides its handlers' own. */
export const COMMAND_ERROR = {
  unknownCommand: "unknown_command",
  handlerFailed: "handler_failed",
  timeout: "timeout",
} as const;

/** An operator checks in this often; a host silent for PRESENCE_TIMEOUT_SECONDS shows as dropped. */
export const CHECK_IN_SECONDS = 15;
export const PRESENCE_TIMEOUT_SECONDS = 45;

/** Facts an operator reports about itself: a flat map of short values, shown on the host's page. */
export const ZHealthFacts = z
  .record(z.string().min(1).max(64), z.union([z.string().max(256), z.number(), z.boolean()]))
  .refine((facts) => Object.keys(facts).length <= 32, { message: "At most 32 health facts" });
export type THealthFacts = z.infer<typeof ZHealthFacts>;

export { READINESS_FACTS, notReadyReason } from "./vocabulary/readiness";

export const ZOperatorVersion = z.string().min(1).max(64).regex(/^[0-9A-Za-z.+_-]+$/, { message: "Operator versions look like 0.1.0" });

/** What a client understands beyond the base protocol; it says so in every check-in. */
export const CHANNEL_CAPABILITIES = {
  /** Takes a JSON array of command envelopes as one message (ZCommandBatch). */
  commandBatches: "command-batches",
} as const;

export const ZCheckIn = z.object({
  operatorVersion: ZOperatorVersion,
  health: ZHealthFacts,
  /** CHANNEL_CAPABILITIES it has; absent from clients older than the first one. */
  capabilities: z.array(z.string().max(64)).max(32).optional(),
  /**
   * A Docker host's warm pools as they are now (the host page's ready counts, so the page never
   * asks the operator). Absent from operators older than it and from those that keep no pools.
   */
  warmPools: ZWarmPoolCounts.optional(),
});
export type TCheckIn = z.infer<typeof ZCheckIn>;

/** `host.health`: the platform asks, the operator answers with what a check-in carries. */
export const HOST_HEALTH = "host.health";
export const ZHostHealthReply = ZCheckIn;
export type THostHealthReply = TCheckIn;
