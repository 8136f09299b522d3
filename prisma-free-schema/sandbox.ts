import { z } from "zod";
import { ZHostId } from "./host";
import { ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { ZProfileId, ZResourceClass, ZTemplateId } from "./profile";
import { ZSandboxId } from "./run-event";
import { ZAgentKind } from "./sidecar-protocol";

export const SANDBOX_PROVIDERS = ["managed", "kubernetes", "docker"] as const;
export const ZSandboxProviderKind = z.enum(SANDBOX_PROVIDERS);
export type TSandboxProviderKind = z.infer<typeof ZSandboxProviderKind>;

/**
 * What a sandbox was made from. A person's sandbox for a profile is reused while this is
 * unchanged and recreated when any of it changed (profile, template, host, image tag, identity).
 */
export const ZSandboxDefinition = z.object({
  profileId: ZProfileId,
  template: ZTemplateId,
  provider: ZSandboxProviderKind,
  hostId: ZHostId.nullable(),
  image: z.string(),
  tag: z.string(),
  resourceClass: ZResourceClass,
  workloadIdentityClientId: z.string().nullable(),
  workloadIdentityTenantId: z.string().nullable().default(null),
  persistentWorkspace: z.boolean(),
  agent: ZAgentKind,
});
export type TSandboxDefinition = z.infer<typeof ZSandboxDefinition>;

/**
 * pausing: claimed by the idle policy, its compute being stopped (a turn waits for it to be
 * paused, then resumes it); paused: a managed sandbox idle past its profile's idle policy, its
 * compute stopped and its workspace kept; the next turn resumes it.
 */
export const SANDBOX_STATUSES = ["starting", "ready", "pausing", "paused", "failed", "destroyed"] as const;
export const ZSandboxStatus = z.enum(SANDBOX_STATUSES);
export type TSandboxStatus = z.infer<typeof ZSandboxStatus>;

export const ZSandbox = z.object({
  id: ZSandboxId,
  type: z.literal("sandbox"),
  workspaceId: ZWorkspaceId,
  /** Whose sandbox it is; null while it waits in its profile's warm pool, until a launch claims it. */
  ownerId: ZUserId.nullable(),
  definition: ZSandboxDefinition,
  status: ZSandboxStatus,
  /** Why it failed, in words for the person whose run it was. */
  failure: z.string().max(2000).nullable(),
  /** When the sidecar's current channel token lapses; the platform pushes a fresh one before. */
  tokenExpiresAt: ZTimestamp.nullable(),
  /** Managed compute is metered up to here: claimed, if `meterPending` is set, else counted. */
  meteredUntil: ZTimestamp.nullable(),
  /**
   * An interval claimed by the meter but perhaps not yet counted in the usage rows (a crash
   * between the two): the next meter pass counts it, once (services/usage/meter-sandbox.ts).
   * Absent on documents written before it existed.
   */
  meterPending: z.object({ from: ZTimestamp, until: ZTimestamp }).nullable().default(null),
  createdAt: ZTimestamp,
  readyAt: ZTimestamp.nullable(),
  /** When a turn was last handed to it: a pause that raced a turn loses on this (and the etag). */
  lastActiveAt: ZTimestamp.nullable().default(null),
  /** While paused: since when. */
  pausedAt: ZTimestamp.nullable().default(null),
  destroyedAt: ZTimestamp.nullable(),
});
export type TSandbox = z.infer<typeof ZSandbox>;

/**
 * A person's sandbox for a profile: one slot per (person, profile) in a workspace, naming the
 * sandbox that serves them. A launch claims it on its etag before it makes a sandbox, so two
 * launches at once end with one sandbox: the one that lost the claim uses the winner's.
 */
export const ZSandboxSlot = z.object({
  /** `<ownerId>~<profileId>`, or `<ownerId>~<profileId>~<runId>` where each run gets a sandbox of its own (a Kubernetes host). */
  id: z.string().min(1).max(100),
  type: z.literal("sandboxSlot"),
  workspaceId: ZWorkspaceId,
  ownerId: ZUserId,
  profileId: ZProfileId,
  sandboxId: ZSandboxId.nullable(),
  updatedAt: ZTimestamp,
});
export type TSandboxSlot = z.infer<typeof ZSandboxSlot>;

export function sandboxSlotId(ownerId: string, profileId: string, runId?: string): string {
  return runId ? `${ownerId}~${profileId}~${runId}` : `${ownerId}~${profileId}`;
}

/** Managed compute used by one profile's sandboxes on one UTC day. */
export const ZUsageRow = z.object({
  id: z.string(),
  type: z.literal("usage"),
  workspaceId: ZWorkspaceId,
  day: z.iso.date(),
  profileId: ZProfileId,
  profileName: z.string(),
  seconds: z.number().nonnegative(),
  /**
   * Per sandbox, up to when its seconds are in `seconds`: an interval ending at or before it was
   * added already, so adding it again (a meter pass retried after a crash) changes nothing.
   * Absent on rows written before it existed.
   */
  countedUntil: z.record(z.string(), ZTimestamp).default({}),
});
export type TUsageRow = z.infer<typeof ZUsageRow>;
