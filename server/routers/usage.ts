import { z } from "zod";
import { listUsage, ZUsageReport } from "../services/usage/list-usage";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

export const usageRouter = router({
  /** Managed compute per day and profile; any member may see it (no scope guards usage). */
  list: workspaceProcedure()
    .input(z.object({ days: z.number().int().min(1).max(90).default(30) }))
    .output(ZUsageReport)
    .query(({ ctx, input }) => listUsage({ store: ctx.store, workspaceId: ctx.access.workspace.id, days: input.days })),
});
