import { z } from "zod";
import { ZAuditEvent, ZAuditListInput } from "@/prisma-free-schema";
import { listAuditEvents } from "../services/audit/list-audit-events";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

export const auditRouter = router({
  list: workspaceProcedure("audit.read")
    .input(ZAuditListInput)
    .output(z.object({ items: z.array(ZAuditEvent), cursor: z.string().optional() }))
    // The workspace is always the one access was checked for, never a value the filter carries.
    .query(({ ctx, input }) => listAuditEvents({ ...input, store: ctx.store, workspaceId: ctx.access.workspace.id })),
});
