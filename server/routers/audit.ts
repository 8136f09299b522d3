import { z } from "zod";
import { ZAuditEvent, ZAuditEventType, ZPageInput } from "@/prisma-free-schema";
import { listAuditEvents } from "../services/audit/list-audit-events";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

export const auditRouter = router({
  list: workspaceProcedure("audit.read")
    .input(ZPageInput.extend({ eventType: ZAuditEventType.optional() }))
    .output(z.object({ items: z.array(ZAuditEvent), cursor: z.string().optional() }))
    .query(({ ctx, input }) =>
      listAuditEvents({ store: ctx.store, workspaceId: ctx.access.workspace.id, eventType: input.eventType, limit: input.limit, cursor: input.cursor }),
    ),
});
