import type { TRunFilterOptions } from "@/prisma-free-schema";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";

/** How many of the newest runs the filter menus are drawn from: enough for a team's people and hosts, bounded whatever the history. */
const RECENT_RUNS = 1_000;

/**
 * The people who started, and the hosts that ran, the workspace's recent runs: the choices of the
 * runs list's "Started by" and "Runs on" menus. Drawn from the runs rather than the members and
 * hosts lists, so a member who may read neither (those need members.manage and hosts.read) learns
 * nothing the runs list does not already show.
 */
export async function runFilterOptions({ store, workspaceId }: { store: Store; workspaceId: string }): Promise<TRunFilterOptions> {
  const rows = await runStore(store).placesAndPeople(workspaceId, RECENT_RUNS);
  const people = new Map<string, string>();
  const hosts = new Map<string, string>();
  let managed = false;
  for (const { startedBy, placement } of rows) {
    if (!people.has(startedBy.userId)) people.set(startedBy.userId, startedBy.email);
    if (placement.hostId === null) managed = true;
    else if (!hosts.has(placement.hostId)) hosts.set(placement.hostId, placement.hostName ?? placement.hostId);
  }
  const byLabel = (a: string, b: string) => a.localeCompare(b);
  return {
    people: [...people].map(([userId, email]) => ({ userId, email })).sort((a, b) => byLabel(a.email, b.email)),
    hosts: [...hosts].map(([hostId, hostName]) => ({ hostId, hostName })).sort((a, b) => byLabel(a.hostName, b.hostName)),
    managed,
  };
}
