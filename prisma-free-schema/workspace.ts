import { z } from "zod";
import { ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { plainName } from "./plain-name";

export const ZWorkspaceName = z
  .string()
  .trim()
  .min(2, { message: "Workspace names are at least 2 characters" })
  .max(60, { message: "Workspace names are at most 60 characters" })
  .refine(...plainName);

/**
 * What a workspace's plan allows. Bring-your-own hosts are an entitlement; managed compute is
 * available to every plan up to its allowance.
 */
export const PLAN_NAMES = ["team", "enterprise"] as const;
export const ZPlanName = z.enum(PLAN_NAMES);
export type TPlanName = z.infer<typeof ZPlanName>;

export const ZPlan = z.object({
  name: ZPlanName,
  byoHosts: z.boolean(),
  managedComputeSecondsPerMonth: z.number().int().nonnegative(),
});
export type TPlan = z.infer<typeof ZPlan>;

/** The plans and what each includes; a workspace keeps a copy of its plan's entitlements. */
export const PLANS: Record<TPlanName, TPlan> = {
  team: { name: "team", byoHosts: false, managedComputeSecondsPerMonth: 100 * 3600 },
  enterprise: { name: "enterprise", byoHosts: true, managedComputeSecondsPerMonth: 500 * 3600 },
};

export const ZWorkspace = z.object({
  id: ZWorkspaceId,
  type: z.literal("workspace"),
  name: ZWorkspaceName,
  plan: ZPlan,
  /** Set once the workspace's bring-your-own channel is configured (issue: outbound channel). */
  byoChannelConfigured: z.boolean(),
  createdBy: ZUserId,
  createdAt: ZTimestamp,
});
export type TWorkspace = z.infer<typeof ZWorkspace>;
