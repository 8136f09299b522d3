import { z } from "zod";
import { ZAuditEventId, ZTimestamp, ZWorkspaceId } from "./ids";
import { AUDIT_EVENT_TYPES, AUDIT_TARGET_KINDS } from "./vocabulary/audit";

export { AUDIT_EVENT_TYPES, AUDIT_TARGET_KINDS, type TAuditTargetKind } from "./vocabulary/audit";

export const ZAuditEventType = z.enum(AUDIT_EVENT_TYPES);
export type { TAuditEventType } from "./vocabulary/audit";

export const ZAuditActor = z.object({
  kind: z.enum(["user", "api_token", "system"]),
  id: z.string().max(64),
  /** What a person reading the trail recognises: an email, a token name. */
  label: z.string().max(254),
});
export type TAuditActor = z.infer<typeof ZAuditActor>;

export const ZAuditTarget = z.object({
  kind: z.enum(AUDIT_TARGET_KINDS),
  id: z.string().max(64),
  label: z.string().max(254),
});
export type TAuditTarget = z.infer<typeof ZAuditTarget>;

/** Flat, redacted facts about the event; values are short scalars or lists of them. */
export const ZAuditData = z.record(
  z.string().max(64),
  z.union([z.string().max(512), z.number(), z.boolean(), z.null(), z.array(z.string().max(128)).max(32)]),
);
export type TAuditData = z.infer<typeof ZAuditData>;

/** The containers an audited change is made in: where the settling pass looks for it. */
export const AUDITED_CONTAINERS = ["workspaces", "members", "apiTokens", "hosts", "profiles", "invites", "runs"] as const;

/**
 * How to tell, from the store alone, whether an audited change happened: the document `id` in
 * `container` (partition `partitionKey`) exists (a creation), is gone (a removal), or has `field`
 * (`name` or `outer.inner`) equal to `equals` (an update: the new `updatedAt`, or what it set).
 */
export const ZAuditCheck = z.object({
  container: z.enum(AUDITED_CONTAINERS),
  partitionKey: z.string().min(1).max(128),
  id: z.string().min(1).max(128),
  landed: z.union([z.literal("present"), z.literal("absent"), z.object({ field: z.string().regex(/^[A-Za-z]+(\.[A-Za-z]+)?$/), equals: z.union([z.string().max(128), z.boolean(), z.number()]) })]),
});
export type TAuditCheck = z.infer<typeof ZAuditCheck>;

export const ZAuditEvent = z.object({
  id: ZAuditEventId,
  type: z.literal("auditEvent"),
  workspaceId: ZWorkspaceId,
  eventType: ZAuditEventType,
  actor: ZAuditActor,
  target: ZAuditTarget,
  at: ZTimestamp,
  data: ZAuditData,
  /**
   * Present while the change it records is being made: the row is written first, the change
   * second, and this is removed third. A row still pending after `until` (its process died) is
   * settled by `check`: kept if the change landed, removed if not. Lists show no pending row.
   */
  pending: z.object({ check: ZAuditCheck, until: ZTimestamp }).optional(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;
