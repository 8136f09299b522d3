import { z } from "zod";
import { ZAuditEventId, ZTimestamp, ZWorkspaceId } from "./ids";

/**
 * Every audit event type the platform writes. Adding a type here is the one step needed before
 * a service may append it, and the Audit page's filter lists exactly these.
 */
export const AUDIT_EVENT_TYPES = [
  "workspace.created",
  "member.added",
  "member.updated",
  "member.removed",
  "member.invited",
  "member.invite_revoked",
  "api_token.created",
  "api_token.revoked",
  "workspace.plan_changed",
  "workspace.byo_channel_changed",
  "host.registered",
  "host.updated",
  "host.deleted",
  "host.default_docker_set",
  "host.operator_bundle",
  "host.docker_settings_changed",
  "host.docker_volume_removed",
  "profile.created",
  "profile.updated",
  "profile.deleted",
  "run.ended",
] as const;
export const ZAuditEventType = z.enum(AUDIT_EVENT_TYPES);
export type TAuditEventType = z.infer<typeof ZAuditEventType>;

export const ZAuditActor = z.object({
  kind: z.enum(["user", "api_token", "system"]),
  id: z.string().max(64),
  /** What a person reading the trail recognises: an email, a token name. */
  label: z.string().max(254),
});
export type TAuditActor = z.infer<typeof ZAuditActor>;

export const ZAuditTarget = z.object({
  kind: z.enum(["workspace", "member", "api_token", "host", "profile", "lease", "run"]),
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

export const ZAuditEvent = z.object({
  id: ZAuditEventId,
  type: z.literal("auditEvent"),
  workspaceId: ZWorkspaceId,
  eventType: ZAuditEventType,
  actor: ZAuditActor,
  target: ZAuditTarget,
  at: ZTimestamp,
  data: ZAuditData,
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;
