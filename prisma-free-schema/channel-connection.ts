import { z } from "zod";
import { ZTimestamp, ZWorkspaceId } from "./ids";

/**
 * The hub's CloudEvents name their connection and the user behind it in headers, and in Azure
 * the signature covers only the connection id (WEBPUBSUB.md §5.3): anyone holding one signed
 * event can rewrite every other header. So the platform trusts the connection it admitted, not
 * the headers: at `connect` it records who the connection was admitted as, here, and every later
 * event of that connection is checked against this record (kept in the store, so a second
 * process and a restart agree).
 */

/** A hub connection id or CloudEvent id as it arrives in a header: printable ASCII, bounded. */
export const ZChannelHeaderId = z.string().regex(/^[\x21-\x7e]{1,256}$/);

export const ZChannelConnection = z.object({
  /** sha-256 (hex) of the hub's connection id: the id itself may hold characters a document id may not. */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  type: z.literal("channelConnection"),
  connectionId: ZChannelHeaderId,
  /** The hub user it was admitted as: `host:<id>` or `sandbox:<id>`. */
  userId: z.string().min(1).max(128),
  workspaceId: ZWorkspaceId,
  admittedAt: ZTimestamp,
  /** When the hub confirmed the connection exists (its first event after `connect`); null before. */
  confirmedAt: ZTimestamp.nullable(),
  /** When its `disconnected` arrived; every later event of it is dropped. */
  endedAt: ZTimestamp.nullable(),
  /** Last time the record's expiry was pushed back (any event does, at most hourly). */
  refreshedAt: ZTimestamp,
  /** Seconds after the last write: a connection the hub never reports ended still goes. */
  ttl: z.number().int().positive(),
});
export type TChannelConnection = z.infer<typeof ZChannelConnection>;

/** One CloudEvent already handled: (connection, ce-id), remembered for the replay window. */
export const ZChannelEventId = z.object({
  /** sha-256 (hex) of connection id and ce-id. */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  type: z.literal("channelEventId"),
  at: ZTimestamp,
});
