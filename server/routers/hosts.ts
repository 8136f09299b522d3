import { z } from "zod";
import { ZHostSummary, ZPageInput } from "@/prisma-free-schema";
import { listHosts } from "../services/hosts/list-hosts";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

export const hostsRouter = router({
  list: workspaceProcedure("hosts.read")
    .input(ZPageInput)
    .output(z.object({ items: z.array(ZHostSummary), cursor: z.string().optional() }))
    .query(({ ctx, input }) => listHosts({ store: ctx.store, workspaceId: ctx.access.workspace.id, limit: input.limit, cursor: input.cursor })),
});
