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
    /** Adds seconds to the (day, profile) row, creating it on first use; concurrent adds both count. */
    add: async (workspaceId: string, day: string, profileId: string, profileName: string, seconds: number) => {
      const id = `${day}:${profileId}`;
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const updated = await rows.update(id, workspaceId, (row) => ({ ...row, profileName, seconds: row.seconds + seconds }));
        if (updated) return;
        try {
          await rows.create({ id, type: "usage", workspaceId, day, profileId, profileName, seconds });
          return;
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
