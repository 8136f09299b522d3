import { z } from "zod";
import { ZTimestamp } from "./ids";

/**
 * Store rows behind the caps (issue 10 item 5; server/services/limits/). Both expire by TTL, so
 * a process that dies holding one leaves nothing behind for long.
 */

/**
 * A short lock on one cap ("hosts in workspace ws_…"): whoever holds it counts and creates, so
 * two requests at the same moment cannot both take the last place. `expiresAt` lets the next
 * caller take over a lock whose holder died.
 */
export const ZCapLock = z.object({
  id: z.string().min(1).max(200),
  holder: z.string().min(1).max(64),
  expiresAt: ZTimestamp,
});
export type TCapLock = z.infer<typeof ZCapLock>;

/**
 * One open run event stream of a principal (a person `user:…` or an API token `token:…`):
 * slot `n` of their cap, held while the stream is open and renewed by its heartbeat; a stream
 * whose process died stops renewing and its slot is free once `expiresAt` passes.
 */
export const ZStreamLease = z.object({
  /** `<principal>~<slot>` */
  id: z.string().min(1).max(200),
  principal: z.string().min(1).max(160),
  slot: z.number().int().nonnegative(),
  holder: z.string().min(1).max(64),
  runId: z.string().max(64),
  expiresAt: ZTimestamp,
});
export type TStreamLease = z.infer<typeof ZStreamLease>;
