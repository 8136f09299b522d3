import { z } from "zod";
import { ZProfileId, ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { plainName } from "./plain-name";
import { ZReportedWarmPools } from "./warm-pool-report";
import { DEFAULT_DOCKER_NETWORK, HOST_KINDS, HOST_STATUSES, MAX_WARM_POOL_SIZE, RUNTIME_FAMILIES } from "./vocabulary/hosts";

export {
  DEFAULT_DOCKER_NETWORK,
  HOST_KIND_LABELS,
  HOST_KINDS,
  HOST_STATUS_LABELS,
  HOST_STATUSES,
  MAX_WARM_POOL_SIZE,
  RUNTIME_FAMILIES,
  type THostKind,
  type THostStatus,
  type TRuntimeFamily,
} from "./vocabulary/hosts";

export const ZHostKind = z.enum(HOST_KINDS);

export const ZRuntimeFamily = z.enum(RUNTIME_FAMILIES, { message: `Runtime families are ${RUNTIME_FAMILIES.join(", ")}` });

/** A set of runtime families: no duplicates, in the catalogue's order. */
export const ZRuntimeFamilies = z
  .array(ZRuntimeFamily)
  .max(RUNTIME_FAMILIES.length * 2)
  .transform((families) => RUNTIME_FAMILIES.filter((family) => families.includes(family)));

export const ZHostStatus = z.enum(HOST_STATUSES);

export const ZHostId = z.string().regex(/^host_[a-z0-9]{20}$/, { message: "Must be a host_… id" });

/** The identifier: fixed once saved, unique in the workspace. */
export const ZHostName = z
  .string()
  .min(2, { message: "Host names are at least 2 characters" })
  .max(63, { message: "Host names are at most 63 characters" })
  .refine(...plainName)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, { message: "Use lowercase letters, digits and dashes, starting and ending with a letter or digit" });

/** Warm containers a Local Docker host keeps ready, per profile; 0 drains that profile's pool. */
export const ZWarmPool = z.object({
  profileId: ZProfileId,
  size: z.number().int().min(0, { message: "Warm containers are 0 to 20" }).max(MAX_WARM_POOL_SIZE, { message: "Warm containers are 0 to 20" }),
});
export type TWarmPool = z.infer<typeof ZWarmPool>;

/** Host settings for a Local Docker host: the sandbox network and the warm pools. */
export const ZDockerHostSettings = z.object({
  /** `bridge` (default), `host`, or the name of a user-defined network. */
  network: z
    .string()
    .trim()
    .min(1, { message: "Name a network, such as bridge" })
    .max(64, { message: "Network names are at most 64 characters" })
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { message: "Use a Docker network name: letters, digits, _ . and -, starting with a letter or digit" }),
  warmPools: z
    .array(ZWarmPool)
    .max(50, { message: "At most 50 warm pools per host" })
    .refine((pools) => new Set(pools.map((pool) => pool.profileId)).size === pools.length, { message: "Each profile has one warm pool" }),
});
export type TDockerHostSettings = z.infer<typeof ZDockerHostSettings>;
export const DEFAULT_DOCKER_HOST_SETTINGS: TDockerHostSettings = { network: DEFAULT_DOCKER_NETWORK, warmPools: [] };

export const ZHost = z.object({
  id: ZHostId,
  type: z.literal("host"),
  workspaceId: ZWorkspaceId,
  kind: ZHostKind,
  name: ZHostName,
  runtimeFamilies: z.array(ZRuntimeFamily).min(1),
  status: ZHostStatus,
  lastSeenAt: ZTimestamp.nullable(),
  operatorVersion: z.string().max(64).nullable(),
  /** Facts the operator reports at check-in (engine version, node count, …). */
  health: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])),
  /** sha-256 of the current install key and its short fingerprint; never the key. */
  installKeyHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  installKeyFingerprint: z.string().max(64).nullable(),
  /** Kubernetes only: sandbox pods may run as a profile's Azure workload identity. */
  workloadIdentity: z.boolean(),
  /**
   * Local Docker only. Absent on documents saved before these settings existed (and on
   * Kubernetes hosts): read it through `dockerSettingsOf`, which gives the defaults. Optional
   * rather than `.default()` so code that builds host documents need not name it.
   */
  docker: ZDockerHostSettings.optional(),
  createdBy: ZUserId,
  createdByEmail: z.string(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type THost = z.infer<typeof ZHost>;

/**
 * A host's presence, apart from the host people edit (container `hostPresence`, one per host, the
 * host's id): the operator's connects, check-ins every 15 s and disconnects write here only, so
 * they never move the etag of the document an admin is editing. Readers see a host with its
 * presence merged in (host-store.ts); a host with no presence document yet (registered before
 * presence moved out) keeps what its own document says.
 */
export const ZHostPresence = ZHost.pick({ id: true, workspaceId: true, status: true, lastSeenAt: true, operatorVersion: true, health: true }).extend({
  type: z.literal("hostPresence"),
  /**
   * The warm pools the last check-in reported (a Docker host's), null when it reported none (an
   * operator older than the report); absent until a check-in has said either. Not part of THost:
   * only the host page's usage reads it.
   */
  warmPools: ZReportedWarmPools.nullable().optional(),
});
export type THostPresence = z.infer<typeof ZHostPresence>;
/** What of a host its presence says. */
export type THostPresenceFields = Pick<THost, "status" | "lastSeenAt" | "operatorVersion" | "health"> & Pick<THostPresence, "warmPools">;

/** A host's Docker settings, the defaults where it has none saved. */
export function dockerSettingsOf(host: Pick<THost, "docker">): TDockerHostSettings {
  return host.docker ?? DEFAULT_DOCKER_HOST_SETTINGS;
}

export const ZRegisterHostInput = z
  .object({
    kind: ZHostKind,
    name: z.string().pipe(ZHostName),
    runtimeFamilies: ZRuntimeFamilies.refine((families) => families.length > 0, { message: "Pick at least one runtime family" }),
    workloadIdentity: z.boolean().default(false),
  })
  .refine((host) => host.kind === "kubernetes" || !host.workloadIdentity, {
    message: "Workload identity is for Kubernetes hosts only",
    path: ["workloadIdentity"],
  });
export type TRegisterHostInput = z.infer<typeof ZRegisterHostInput>;

/** What an admin may change after saving: the kind is fixed. */
export const ZHostChanges = z.object({
  /** Absent: the name stays. A running operator keeps working after a rename (it dials by the host's id). */
  name: ZHostName.optional(),
  runtimeFamilies: ZRuntimeFamilies.refine((families) => families.length > 0, { message: "Pick at least one runtime family" }),
  workloadIdentity: z.boolean(),
});

/** What lists and internal tools see of a host. */
export const ZHostSummary = ZHost.pick({
  id: true,
  kind: true,
  name: true,
  runtimeFamilies: true,
  status: true,
  lastSeenAt: true,
  operatorVersion: true,
  /** The profile form offers a workload identity only on a host that has it on. */
  workloadIdentity: true,
});
export type THostSummary = z.infer<typeof ZHostSummary>;

/** Everything the platform knows about a host, as its page shows it: never the key's hash. */
export const ZHostView = ZHost.omit({ installKeyHash: true }).extend({
  /** Always present here: the defaults for a host that has none saved. */
  docker: ZDockerHostSettings,
  /**
   * The version of what an admin set (runtime families, workload identity): edits are checked
   * against it. Presence (status, last seen, health) changes every check-in and does not move it,
   * so an admin editing a live host is not told someone else changed it.
   */
  revision: ZTimestamp,
  /** Whether the viewer has marked this host as their own default Docker host. */
  isMyDefaultDockerHost: z.boolean(),
});
export type THostView = z.infer<typeof ZHostView>;

export const ZDownloadOperatorBundleInput = z.object({ hostId: ZHostId });

/** One file of an operator bundle, as the host page offers it for download. */
export const ZOperatorBundleFile = z.object({
  filename: z.string(),
  content: z.string(),
  mediaType: z.string(),
  /** The file carries the install key: the page says to treat it like a password. */
  holdsKey: z.boolean(),
});
export type TOperatorBundleFile = z.infer<typeof ZOperatorBundleFile>;

/** A freshly issued bundle: its files (the key inside, shown this once), the commands to run, and the key's fingerprint. */
export const ZOperatorBundle = z.object({
  fingerprint: z.string(),
  /** Where the bundle tells the operator to dial (PUBLIC_URL, else the address the admin reached us at). */
  platformUrl: z.string(),
  files: z.array(ZOperatorBundleFile).min(1),
  commands: z.array(z.string()),
});
export type TOperatorBundle = z.infer<typeof ZOperatorBundle>;

/**
 * What an admin creates in Azure for a Kubernetes host's workload identities: one federated
 * credential per managed identity its profiles name, each trusting the service account the
 * operator runs that identity's pods under (seed 003).
 */
export const ZWorkloadIdentityCredentials = z.object({
  /** Azure Workload Identity is turned on for the host. */
  enabled: z.boolean(),
  namespace: z.string(),
  audience: z.string(),
  /** The cluster's OIDC issuer, as its operator discovered it; null until it has (or where the cluster does not publish it). */
  issuer: z.string().nullable(),
  identities: z.array(
    z.object({
      clientId: z.string(),
      tenantId: z.string(),
      serviceAccount: z.string(),
      subject: z.string(),
      profiles: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
});
export type TWorkloadIdentityCredentials = z.infer<typeof ZWorkloadIdentityCredentials>;
