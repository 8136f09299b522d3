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
export type TAuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** What an audit event can be about. */
export const AUDIT_TARGET_KINDS = ["workspace", "member", "api_token", "host", "profile", "lease", "run"] as const;
export type TAuditTargetKind = (typeof AUDIT_TARGET_KINDS)[number];
