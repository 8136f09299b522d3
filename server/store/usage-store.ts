import { CONTAINERS, ZUsageRow } from "@/prisma-free-schema";
import { AppError } from "../errors";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function usageStore(store: Store) {
  const rows = new DocumentCollection(store, CONTAINERS.usage, ZUsageRow, {
    exists: "This usage row already exists.",
    changed: "This usage row changed at the same time.",
  });
  return {
    /**
     * Adds the seconds of `sandboxId` from its last counted moment up to `until` to the (day,
     * profile) row, creating it on first use; concurrent adds both count. The row remembers up to
     * when each sandbox is counted, so adding the same interval again (a retried meter pass) adds
     * nothing. Returns whether the seconds were added by this call.
     */
    add: async (at: { workspaceId: string; day: string; profileId: string; profileName: string; sandboxId: string; until: string }, seconds: number): Promise<boolean> => {
      const { workspaceId, day, profileId, profileName, sandboxId, until } = at;
      const id = `${day}:${profileId}`;
      for (let attempt = 0; attempt < 5; attempt += 1) {
        let added = false;
        const updated = await rows.update(id, workspaceId, (row) => {
          const counted = row.countedUntil[sandboxId];
          if (counted !== undefined && counted >= until) return undefined;
          added = true;
          return { ...row, profileName, seconds: row.seconds + seconds, countedUntil: { ...row.countedUntil, [sandboxId]: until } };
        });
        if (updated) return added;
        try {
          await rows.create({ id, type: "usage", workspaceId, day, profileId, profileName, seconds, countedUntil: { [sandboxId]: until } });
          return true;
        } catch (error) {
          // Someone created the row first: add on top of theirs.
          if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
        }
      }
      throw new AppError("CONFLICT", `Usage for ${day} kept changing; these ${seconds} s were not recorded.`);
    },
    /** A workspace's rows since `fromDay` (inclusive), newest day first. */
    since: (workspaceId: string, fromDay: string) =>
      rows.queryAll("SELECT * FROM c WHERE c.day >= @from ORDER BY c.day DESC", [{ name: "@from", value: fromDay }], { partitionKey: workspaceId }),
  };
}
