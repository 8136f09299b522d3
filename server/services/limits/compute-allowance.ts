import type { TResolution, TWorkspace } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { usageStore } from "../../store/usage-store";

/** Managed compute seconds metered for the workspace in the current UTC calendar month (the Usage page's month). */
export async function managedSecondsThisMonth(store: Store, workspaceId: string, now = new Date()): Promise<number> {
  const monthFromDay = `${now.toISOString().slice(0, 7)}-01`;
  const rows = await usageStore(store).since(workspaceId, monthFromDay);
  return rows.reduce((sum, row) => sum + row.seconds, 0);
}

/**
 * The resolver's refusal for a managed launch once the plan's managed compute allowance for the
 * month is spent; undefined while some is left. Bring-your-own hosts are never metered, so this
 * never applies to them.
 */
export async function computeAllowanceRefusal(store: Store, workspace: TWorkspace, now = new Date()): Promise<Extract<TResolution, { ok: false }> | undefined> {
  const allowance = workspace.plan.managedComputeSecondsPerMonth;
  const used = await managedSecondsThisMonth(store, workspace.id, now);
  if (used < allowance) return undefined;
  const hours = Math.round(allowance / 360) / 10;
  return {
    ok: false,
    reason: "compute_allowance_spent",
    message: `This workspace has used its plan's ${hours} hours of managed compute for this month. Managed launches start again on the first of next month (UTC); until then, run this profile on a bring-your-own host, or ask for a larger plan.`,
  };
}

/**
 * For a next turn (whose launch is resolved again in the background): refuses at once, with the
 * resolver's reason, when the run's profile launches on managed compute and the allowance is spent.
 */
export async function assertManagedAllowance(store: Store, workspace: TWorkspace, profileId: string): Promise<void> {
  const profile = await profileStore(store).get(workspace.id, profileId);
  if (profile?.hostChoice.kind !== "managed") return;
  const refusal = await computeAllowanceRefusal(store, workspace);
  if (refusal) throw new AppError("PRECONDITION_FAILED", refusal.message, { reason: refusal.reason });
}
