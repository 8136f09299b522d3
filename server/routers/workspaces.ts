import { z } from "zod";
import { ZMyWorkspace, ZWorkspaceName } from "@/prisma-free-schema";
import { createWorkspace } from "../services/workspaces/create-workspace";
import { listMyWorkspaces } from "../services/workspaces/list-my-workspaces";
import { router } from "../trpc/init";
import { authedProcedure, workspaceProcedure } from "../trpc/procedures";

export const workspacesRouter = router({
  mine: authedProcedure.output(z.array(ZMyWorkspace)).query(({ ctx }) => listMyWorkspaces({ store: ctx.store, actor: ctx.actor })),

  get: workspaceProcedure()
    .output(ZMyWorkspace)
    .query(({ ctx: { access } }) => ({
      id: access.workspace.id,
      name: access.workspace.name,
      plan: access.workspace.plan,
      role: access.member.role,
      scopes: access.scopes,
    })),

  create: authedProcedure
    .input(z.object({ name: ZWorkspaceName }))
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const workspace = await createWorkspace({ store: ctx.store, actor: ctx.actor, name: input.name });
      return { id: workspace.id };
    }),
});
