import { getEnv, type Limits } from "../../env";
import { AppError } from "../../errors";
import { limitCounts } from "../../store/limit-store";
import type { Store } from "../../store/store";
import { withCapLock } from "./cap-lock";

/**
 * The caps on what a workspace or a person may hold at once (issue 10 item 5). Each is a
 * setting (server/env.ts, README "Limits"); reaching one is a PRECONDITION_FAILED AppError with
 * reason `limit_reached` and a sentence that names the cap and what to do, shown by the form
 * that asked like any other refusal. The count and the create happen under one store lock
 * (cap-lock.ts), so concurrent requests cannot overshoot.
 */
export interface Cap {
  /** The lock this cap's count-and-create holds. */
  key: string;
  limit: (limits: Limits) => number;
  count: (store: Store) => Promise<number>;
  /** What a person reads when the cap is reached. */
  refusal: (limit: number) => string;
}

export const LIMIT_REACHED = "limit_reached";

/** Runs `create` if `cap` has room; refuses with the cap's sentence otherwise. */
export async function withinCap<T>(store: Store, cap: Cap, create: () => Promise<T>): Promise<T> {
  return withCapLock(store, `cap:${cap.key}`, async () => {
    await assertRoom(store, cap);
    return create();
  });
}

/** Refuses when `cap` is full, without holding its lock (for an early answer; `withinCap` decides). */
export async function assertRoom(store: Store, cap: Cap): Promise<void> {
  const limit = cap.limit(getEnv().limits);
  if ((await cap.count(store)) >= limit) throw new AppError("PRECONDITION_FAILED", cap.refusal(limit), { reason: LIMIT_REACHED });
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const caps = {
  hosts: (workspaceId: string): Cap => ({
    key: `hosts:${workspaceId}`,
    limit: (l) => l.hostsPerWorkspace,
    count: (store) => limitCounts(store).hosts(workspaceId),
    refusal: (n) => `This workspace has ${plural(n, "host", "hosts")}, the most it may have. Delete a host you no longer use to register another.`,
  }),
  profiles: (workspaceId: string): Cap => ({
    key: `profiles:${workspaceId}`,
    limit: (l) => l.profilesPerWorkspace,
    count: (store) => limitCounts(store).profiles(workspaceId),
    refusal: (n) => `This workspace has ${plural(n, "profile", "profiles")}, the most it may have. Delete a profile you no longer use to create another.`,
  }),
  apiTokens: (workspaceId: string): Cap => ({
    key: `api-tokens:${workspaceId}`,
    limit: (l) => l.apiTokensPerWorkspace,
    count: (store) => limitCounts(store).activeApiTokens(workspaceId, new Date().toISOString()),
    refusal: (n) => `This workspace has ${plural(n, "active API token", "active API tokens")}, the most it may have. Revoke a token you no longer use to create another.`,
  }),
  members: (workspaceId: string): Cap => ({
    key: `members:${workspaceId}`,
    limit: (l) => l.membersPerWorkspace,
    count: (store) => limitCounts(store).members(workspaceId),
    refusal: (n) => `This workspace has ${plural(n, "member", "members")}, the most it may have. Remove a member to add someone else.`,
  }),
  runningSandboxes: (workspaceId: string): Cap => ({
    key: `sandboxes:${workspaceId}`,
    limit: (l) => l.runningSandboxesPerWorkspace,
    count: (store) => limitCounts(store).runningSandboxes(workspaceId),
    refusal: (n) => `This workspace already has ${plural(n, "sandbox", "sandboxes")} running, the most it may run at once. Wait for a run to finish, or end one you no longer need.`,
  }),
  workspacesCreated: (userId: string): Cap => ({
    key: `workspaces:${userId}`,
    limit: (l) => l.workspacesPerPerson,
    count: (store) => limitCounts(store).workspacesCreatedBy(userId),
    refusal: (n) => `You have created ${plural(n, "workspace", "workspaces")}, the most one person may create.`,
  }),
  activeRuns: (userId: string): Cap => ({
    key: `runs:${userId}`,
    limit: (l) => l.concurrentRunsPerPerson,
    count: (store) => limitCounts(store).activeRunsOf(userId),
    refusal: (n) => `You already have ${plural(n, "run", "runs")} working, the most one person may have at once. Wait for a turn to finish, or cancel one.`,
  }),
};
