import { z } from "zod";
import { ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";

/**
 * A bring-your-own host: a Kubernetes cluster or a Docker engine whose operator dials out to
 * the platform. Managed compute is not a host record; it is the default.
 */
export const HOST_KINDS = ["kubernetes", "docker"] as const;
export const ZHostKind = z.enum(HOST_KINDS);

export const RUNTIME_FAMILIES = ["node", "python", "go", "java", "dotnet"] as const;
export const ZRuntimeFamily = z.enum(RUNTIME_FAMILIES);

export const HOST_STATUSES = ["awaiting-operator", "registered", "disconnected"] as const;
export const ZHostStatus = z.enum(HOST_STATUSES);

/** The identifier: fixed once saved, unique in the workspace. */
export const ZHostName = z
  .string()
  .min(2, { message: "Host names are at least 2 characters" })
  .max(63, { message: "Host names are at most 63 characters" })
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, { message: "Use lowercase letters, digits and dashes, starting and ending with a letter or digit" });

export const ZHost = z.object({
  id: z.string().regex(/^host_[a-z0-9]{20}$/),
  type: z.literal("host"),
  workspaceId: ZWorkspaceId,
  kind: ZHostKind,
  name: ZHostName,
  runtimeFamilies: z.array(ZRuntimeFamily).min(1),
  status: ZHostStatus,
  lastSeenAt: ZTimestamp.nullable(),
  operatorVersion: z.string().max(64).nullable(),
  health: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])),
  /** sha-256 of the current install key and its short fingerprint; never the key. */
  installKeyHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  installKeyFingerprint: z.string().max(64).nullable(),
  workloadIdentity: z.boolean(),
  createdBy: ZUserId,
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
  deletedAt: ZTimestamp.nullable(),
});
export type THost = z.infer<typeof ZHost>;

/** What lists and internal tools see of a host. */
export const ZHostSummary = ZHost.pick({
  id: true,
  kind: true,
  name: true,
  runtimeFamilies: true,
  status: true,
  lastSeenAt: true,
  operatorVersion: true,
});
export type THostSummary = z.infer<typeof ZHostSummary>;
