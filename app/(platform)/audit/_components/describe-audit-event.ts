import type { TAuditData, TAuditEvent } from "@/prisma-free-schema";
import { HOST_KIND_LABELS, HOST_KINDS, type THostKind } from "@/prisma-free-schema/vocabulary";
import { targetHref } from "./audit-words";

/** A piece of a sentence: words, or a name that links to what it names. */
export type AuditPart = string | { text: string; href?: string | undefined };

/** Names for ids the rows carry in their facts (a profile's host, a warm pool's profile), where the viewer may see them. */
export interface AuditNames {
  host: (id: string) => string | undefined;
  profile: (id: string) => string | undefined;
}

const str = (data: TAuditData, key: string): string | undefined => (typeof data[key] === "string" ? (data[key] as string) : undefined);
const list = (data: TAuditData, key: string): string[] => (Array.isArray(data[key]) ? (data[key] as string[]) : []);
const scopes = (values: string[]) => (values.length > 0 ? values.join(", ") : "no scopes");
const onOff = (value: unknown) => (value ? "on" : "off");

function hostRef(id: string, names: AuditNames): AuditPart {
  return { text: names.host(id) ?? "a host", href: `/hosts/${encodeURIComponent(id)}` };
}

/** Where a profile runs, from its facts: managed, each person's Docker host, or a host by name. */
function runsOn(data: TAuditData, names: AuditNames): AuditPart[] {
  const host = str(data, "host");
  if (!host) return [];
  if (host === "managed") return [" on managed compute"];
  if (host === "default-docker") return [" on each person's default Docker host"];
  return [" on ", hostRef(host, names)];
}

function kindOf(data: TAuditData): string {
  const kind = HOST_KINDS.find((known: THostKind) => known === data.kind);
  return kind ? `${HOST_KIND_LABELS[kind]} ` : "";
}

/** A Docker warm pools list (`profileId=size`) in words, each profile by name. */
function pools(entries: string[], names: AuditNames): AuditPart[] {
  if (entries.length === 0) return ["none"];
  return entries.flatMap((entry, index) => {
    const [profileId = "", size = "?"] = entry.split("=");
    return [...(index > 0 ? [", "] : []), { text: names.profile(profileId) ?? "a profile", href: `/profiles/${encodeURIComponent(profileId)}` }, ` × ${size}`];
  });
}

/**
 * What happened, as a sentence a reviewer reads (seed 004: the trail is what you put in front of
 * one), with the names of what changed linked to their pages. Only what the row holds; rows hold
 * no secrets (they are redacted when written and again when read).
 */
export function describeAuditEvent(event: TAuditEvent, names: AuditNames): AuditPart[] {
  const { data, target } = event;
  const named: AuditPart = { text: target.label, href: targetHref(target.kind, target.id) };
  switch (event.eventType) {
    case "workspace.created":
      return [`Created the workspace ${target.label}`, ...(str(data, "plan") ? [` on the ${str(data, "plan")} plan`] : [])];
    case "workspace.plan_changed":
      return [`Changed the plan from ${String(data.from ?? "?")} to ${String(data.to ?? "?")}`];
    case "workspace.byo_channel_changed":
      return [`Turned the bring-your-own channel ${onOff(data.enabled)}`];
    case "member.invited":
      return ["Invited ", named, ` with ${scopes(list(data, "scopes"))}`];
    case "member.added":
      return [named, ` joined with ${scopes(list(data, "scopes"))}`, ...(str(data, "invitedBy") ? [`, invited by ${str(data, "invitedBy")}`] : [])];
    case "member.updated": {
      const before = list(data, "scopesBefore");
      const after = list(data, "scopesAfter");
      const added = after.filter((scope) => !before.includes(scope));
      const removed = before.filter((scope) => !after.includes(scope));
      const changes = [added.length > 0 ? `added ${added.join(", ")}` : "", removed.length > 0 ? `removed ${removed.join(", ")}` : ""].filter(Boolean);
      return ["Changed the scopes of ", named, changes.length > 0 ? `: ${changes.join("; ")}` : " (no change)"];
    }
    case "member.removed":
      return ["Removed ", named, " from the workspace"];
    case "member.invite_revoked":
      return ["Revoked the invite for ", named];
    case "api_token.created":
      return ["Created the API token ", named, ` with ${scopes(list(data, "scopes"))}`, ...(str(data, "via") === "command line" ? [" on the command line (npm run tokens)"] : [])];
    case "api_token.revoked":
      return ["Revoked the API token ", named, ...(str(data, "owner") ? [` of ${str(data, "owner")}`] : [])];
    case "host.registered":
      return [`Registered the ${kindOf(data)}host `, named];
    case "host.updated": {
      const parts: string[] = [];
      const familiesBefore = list(data, "runtimeFamiliesBefore").join(", ");
      const familiesAfter = list(data, "runtimeFamiliesAfter").join(", ");
      if (familiesBefore !== familiesAfter) parts.push(`runtime families ${familiesBefore || "none"} → ${familiesAfter || "none"}`);
      if (data.workloadIdentityBefore !== data.workloadIdentityAfter) parts.push(`workload identity turned ${onOff(data.workloadIdentityAfter)}`);
      return ["Changed the host ", named, parts.length > 0 ? `: ${parts.join("; ")}` : ""];
    }
    case "host.deleted": {
      const stranded = list(data, "strandedProfiles").length;
      return [`Deleted the ${kindOf(data)}host ${target.label}`, stranded > 0 ? `, leaving ${stranded} profile${stranded === 1 ? "" : "s"} without a host` : ""];
    }
    case "host.default_docker_set":
      if (target.id === "none") return [`Cleared ${str(data, "member") ?? "a member"}'s default Docker host`];
      return ["Made ", named, ` the default Docker host of ${str(data, "member") ?? "a member"}`];
    case "host.operator_bundle":
      return ["Downloaded an operator bundle for ", named, ...(str(data, "fingerprint") ? [` (new key ${str(data, "fingerprint")})`] : [])];
    case "host.docker_settings_changed": {
      const parts: AuditPart[] = ["Changed the Docker settings of ", named];
      if (data.networkBefore !== data.networkAfter) parts.push(`: network ${String(data.networkBefore)} → ${String(data.networkAfter)}`);
      if (list(data, "warmPoolsBefore").join() !== list(data, "warmPoolsAfter").join()) {
        parts.push(data.networkBefore !== data.networkAfter ? "; warm pools now " : ": warm pools now ", ...pools(list(data, "warmPoolsAfter"), names));
      }
      return parts;
    }
    case "host.docker_volume_removed":
      return [`Removed the Docker volume ${str(data, "volume") ?? ""} from `, named];
    case "profile.created":
      return ["Created the profile ", named, ...runsOn(data, names)];
    case "profile.updated":
      return ["Changed the profile ", named, ...(runsOn(data, names).length > 0 ? [", which runs", ...runsOn(data, names)] : [])];
    case "profile.deleted":
      return [`Deleted the profile ${target.label}`];
    case "run.ended": {
      const turns = typeof data.turns === "number" ? ` after ${data.turns} turn${data.turns === 1 ? "" : "s"}` : "";
      const idle = typeof data.idleHours === "number" ? `, idle for ${data.idleHours} h` : "";
      return ["Ended the run ", named, turns + idle];
    }
  }
}
