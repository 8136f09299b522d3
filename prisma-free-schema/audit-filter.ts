import { z } from "zod";
import { ZAuditEventType, ZAuditTarget } from "./audit-event";
import { ZTimestamp } from "./ids";
import { ZPageInput } from "./views";

/**
 * An actor's or target's id as the trail shows it (a user id, a token id, `idle-policy`). Rows
 * keep ids redacted where they looked like secrets, so any printable id is accepted; the store
 * only ever compares it, within the caller's own workspace.
 */
const ZAuditPartyId = z.string().regex(/^[\x21-\x7e]{1,64}$/, { message: "Must be an id the audit trail showed" });

/** What the Audit page narrows the trail by; every field optional, all of them combined with AND. */
export const ZAuditFilter = z.object({
  eventType: ZAuditEventType.optional(),
  actorId: ZAuditPartyId.optional(),
  targetKind: ZAuditTarget.shape.kind.optional(),
  targetId: ZAuditPartyId.optional(),
  /** From this instant, inclusive. */
  since: ZTimestamp.optional(),
  /** Up to this instant, exclusive. */
  until: ZTimestamp.optional(),
});
export type TAuditFilter = z.infer<typeof ZAuditFilter>;

export const ZAuditListInput = ZPageInput.extend(ZAuditFilter.shape).refine((input) => !input.since || !input.until || Date.parse(input.since) < Date.parse(input.until), {
  message: "The start of the date range must come before its end",
  path: ["since"],
});
