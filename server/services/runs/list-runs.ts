import type { TRunFilters, TRunSummary } from "@/prisma-free-schema";
import type { Page } from "../../store/documents";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { toRunSummary } from "./run-summary";

/** A workspace's runs, newest first, narrowed by `filters` (status, profile, person, host, first-turn text). */
export async function listRuns(options: { store: Store; workspaceId: string; filters?: TRunFilters; limit: number; cursor?: string }): Promise<Page<TRunSummary>> {
  const page = await runStore(options.store).list(options.workspaceId, { filters: options.filters, limit: options.limit, cursor: options.cursor });
  return { items: page.items.map(toRunSummary), cursor: page.cursor };
}
