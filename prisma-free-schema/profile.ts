import { z } from "zod";
import { ZHostId, ZRuntimeFamilies, ZRuntimeFamily } from "./host";
import { ZProfileId, ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { plainName } from "./plain-name";
import { MAX_WARM_POOL, RESOURCE_CLASSES, TEMPLATES } from "./vocabulary/profiles";

export { ZProfileId };

/**
 * A sandbox profile: what a sandbox is built from and where it runs. The host choice is one of
 * three shapes (seed: sandbox hosts): managed (the default), one named host, or "my default
 * Docker host", which resolves per person at launch.
 */
export { MAX_WARM_POOL, RESOURCE_CLASSES, TEMPLATES, type TResourceClass } from "./vocabulary/profiles";

export const ZResourceClass = z.enum(Object.keys(RESOURCE_CLASSES) as [keyof typeof RESOURCE_CLASSES, ...(keyof typeof RESOURCE_CLASSES)[]], {
  message: `Resource classes are ${Object.keys(RESOURCE_CLASSES).join(", ")}`,
});

// The message names the valid ones: an API caller learns them from the refusal (or from profiles.options).
export const ZTemplateId = z.enum(Object.keys(TEMPLATES) as [keyof typeof TEMPLATES, ...(keyof typeof TEMPLATES)[]], {
  message: `Templates are ${Object.keys(TEMPLATES).join(", ")}`,
});
export type TTemplateId = z.infer<typeof ZTemplateId>;

export const ZHostChoice = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("managed") }),
  z.object({ kind: z.literal("host"), hostId: ZHostId }),
  z.object({ kind: z.literal("default-docker") }),
]);
export type THostChoice = z.infer<typeof ZHostChoice>;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: "Must be a GUID" });

/** An Azure managed identity a sandbox pod may act as (Azure Workload Identity, Kubernetes only). */
export const ZWorkloadIdentity = z.object({ clientId: uuid, tenantId: uuid });
export type TWorkloadIdentity = z.infer<typeof ZWorkloadIdentity>;

export const ZProfileName = z
  .string()
  .trim()
  .min(2, { message: "Profile names are at least 2 characters" })
  .max(60, { message: "Profile names are at most 60 characters" })
  .refine(...plainName);

/** Image references without the registry's scheme; tags as Docker allows them. */
export const IMAGE_PATTERN = /^[a-z0-9]+([._\-/:][a-z0-9]+)*$/;
export const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const ZImage = z
  .string()
  .trim()
  .min(1, { message: "Name an image" })
  .max(200)
  .regex(IMAGE_PATTERN, { message: "Use an image name such as registry.example.com/team/sandbox" });
export const ZImageTag = z
  .string()
  .trim()
  .regex(IMAGE_TAG_PATTERN, { message: "Tags are letters, digits, _ . and -, up to 128 characters" });

/** The editable part of a profile: what the General tab saves. */
/**
 * What happens to a run's sandbox while nobody uses it. A managed sandbox idle for
 * `pauseAfterMinutes` is paused: its compute stops (and is no longer metered), its workspace is
 * kept, and the next turn resumes it. Any sandbox idle for `endAfterHours` is removed and its runs
 * end. Idle means no turn running and none ended for that long.
 */
export const ZIdlePolicy = z
  .object({
    pauseAfterMinutes: z.number({ message: "Give a number of minutes" }).min(0.25, { message: "At least 0.25 minutes (15 seconds)" }).max(1440, { message: "At most 1,440 minutes (a day)" }),
    endAfterHours: z.number({ message: "Give a number of hours" }).min(0.01, { message: "At least 0.01 hours" }).max(720, { message: "At most 720 hours (30 days)" }),
  })
  .refine((policy) => policy.endAfterHours * 60 > policy.pauseAfterMinutes, { message: "Ending an idle run must come after pausing it", path: ["endAfterHours"] });
export type TIdlePolicy = z.infer<typeof ZIdlePolicy>;
export const DEFAULT_IDLE_POLICY: TIdlePolicy = { pauseAfterMinutes: 15, endAfterHours: 24 };

export const ZProfileSettings = z.object({
  name: ZProfileName,
  hostChoice: ZHostChoice,
  template: ZTemplateId,
  image: ZImage,
  tag: ZImageTag,
  resourceClass: ZResourceClass,
  runtimeFamilies: ZRuntimeFamilies,
  workloadIdentity: ZWorkloadIdentity.nullable(),
  persistentWorkspace: z.boolean(),
  /** Absent on profiles saved before it existed, and optional for API callers: the defaults. */
  idle: ZIdlePolicy.default(DEFAULT_IDLE_POLICY),
  /**
   * Managed compute: how many sandboxes of this profile are kept started and waiting, so a launch
   * claims one instead of starting one. Topped up by the schedule, drained when the profile
   * changes. (Local Docker hosts keep their own pools, set on the host.)
   */
  warmPool: z.number({ message: "Give a whole number" }).int({ message: "Give a whole number" }).min(0, { message: "At least 0" }).max(MAX_WARM_POOL, { message: `At most ${MAX_WARM_POOL}` }).default(0),
});
export type TProfileSettings = z.infer<typeof ZProfileSettings>;

export const ZProfile = ZProfileSettings.extend({
  id: ZProfileId,
  type: z.literal("profile"),
  workspaceId: ZWorkspaceId,
  /** Lower-cased name: profile names are unique in a workspace regardless of case. */
  nameKey: z.string(),
  runtimeFamilies: z.array(ZRuntimeFamily),
  createdBy: ZUserId,
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type TProfile = z.infer<typeof ZProfile>;

export const DEFAULT_PROFILE_SETTINGS: TProfileSettings = {
  name: "Default",
  hostChoice: { kind: "managed" },
  template: "shell",
  image: TEMPLATES.shell.image,
  tag: TEMPLATES.shell.tag,
  resourceClass: "small",
  runtimeFamilies: [],
  workloadIdentity: null,
  persistentWorkspace: false,
  idle: DEFAULT_IDLE_POLICY,
  warmPool: 0,
};

/** Where a launch of a profile would land for one person right now, or why it would not. */
export const RESOLVER_REFUSALS = [
  "host_deleted",
  "host_not_registered",
  /** The host's operator is connected but reports it cannot launch (a Kubernetes operator's RBAC or cluster API, say). */
  "host_not_ready",
  "not_entitled",
  "runtime_families_missing",
  "no_default_docker_host",
  /** Managed compute cannot draw a sandbox's isolation boundary on this machine: launches are refused, never run bare. */
  "isolation_unavailable",
  // Managed compute only: the plan's allowance for this month is used up (issue 10 item 5).
  "compute_allowance_spent",
] as const;
export const ZResolverRefusal = z.enum(RESOLVER_REFUSALS);
export type TResolverRefusal = z.infer<typeof ZResolverRefusal>;

export const ZResolution = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    provider: z.enum(["managed", "kubernetes", "docker"]),
    /** `workloadIdentity`: Azure Workload Identity is turned on for the host (Kubernetes only). */
    host: z.object({ id: ZHostId, name: z.string(), kind: z.enum(["kubernetes", "docker"]), workloadIdentity: z.boolean().default(false) }).nullable(),
    /** The person's own default Docker host stood in for the profile's choice. */
    viaDefaultDockerHost: z.boolean(),
  }),
  z.object({
    ok: z.literal(false),
    reason: ZResolverRefusal,
    message: z.string(),
    missingRuntimeFamilies: z.array(ZRuntimeFamily).optional(),
    host: z.object({ id: ZHostId, name: z.string() }).optional(),
  }),
]);
export type TResolution = z.infer<typeof ZResolution>;

/** The profiles list's readiness column: one call for a page of profiles. */
export const ZProfileReadinessInput = z.object({ profileIds: z.array(ZProfileId).min(1).max(200) });
export const ZProfileReadiness = z.object({ profileId: ZProfileId, resolution: ZResolution });
export type TProfileReadiness = z.infer<typeof ZProfileReadiness>;

export const ZProfileView = ZProfile.extend({ etag: z.string() });
export type TProfileView = z.infer<typeof ZProfileView>;
