import type { TRunSummary } from "@/prisma-free-schema";
import type { Page } from "../../store/documents";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { toRunSummary } from "./run-summary";

/** A workspace's runs, newest first. */
export async function listRuns(options: { store: Store; workspaceId: string; limit: number; cursor?: string }): Promise<Page<TRunSummary>> {
  const page = await runStore(options.store).list(options.workspaceId, options);
  return { items: page.items.map(toRunSummary), cursor: page.cursor };
}
