import type { TAuditEventType, TAuditTargetKind } from "@/prisma-free-schema";

/** Each event type as the filter and the rows name it. */
export const EVENT_TYPE_LABELS: Record<TAuditEventType, string> = {
  "workspace.created": "Workspace created",
  "member.added": "Member joined",
  "member.updated": "Member's scopes changed",
  "member.removed": "Member removed",
  "member.invited": "Member invited",
  "member.invite_revoked": "Invite revoked",
  "api_token.created": "API token created",
  "api_token.revoked": "API token revoked",
  "workspace.plan_changed": "Plan changed",
  "workspace.byo_channel_changed": "Bring-your-own channel changed",
  "host.registered": "Host registered",
  "host.updated": "Host changed",
  "host.deleted": "Host deleted",
  "host.default_docker_set": "Default Docker host set",
  "host.operator_bundle": "Operator bundle downloaded",
  "host.docker_settings_changed": "Docker settings changed",
  "host.docker_volume_removed": "Docker volume removed",
  "profile.created": "Profile created",
  "profile.updated": "Profile changed",
  "profile.deleted": "Profile deleted",
  "run.ended": "Run ended",
};

export const TARGET_KIND_LABELS: Record<TAuditTargetKind, string> = {
  workspace: "Workspace",
  member: "Member",
  api_token: "API token",
  host: "Host",
  profile: "Profile",
  lease: "Credential lease",
  run: "Run",
};

/** Where a target of this kind is opened, or undefined when it has no page of its own. */
export function targetHref(kind: TAuditTargetKind, id: string): string | undefined {
  if (kind === "host") return `/hosts/${encodeURIComponent(id)}`;
  if (kind === "profile") return `/profiles/${encodeURIComponent(id)}`;
  if (kind === "run") return `/runs/${encodeURIComponent(id)}`;
  if (kind === "member") return "/settings/members";
  if (kind === "api_token") return "/settings/tokens";
  return undefined;
}
