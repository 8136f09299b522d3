import { z } from "zod";
import { ZItemRef, ZItemWorkspace, ZMyWorkspace, ZWorkspaceName } from "@/prisma-free-schema";
import { createWorkspace } from "../services/workspaces/create-workspace";
import { setByoChannel } from "../services/workspaces/set-byo-channel";
import { listMyWorkspaces } from "../services/workspaces/list-my-workspaces";
import { locateItem } from "../services/workspaces/locate-item";
import { router } from "../trpc/init";
import { authedProcedure, workspaceProcedure } from "../trpc/procedures";

export const workspacesRouter = router({
  mine: authedProcedure.output(z.array(ZMyWorkspace)).query(({ ctx }) => listMyWorkspaces({ store: ctx.store, actor: ctx.actor })),

  /** Which of your workspaces holds a linked run, host or profile; NOT_FOUND alike for "none" and "not one of yours". */
  locate: authedProcedure
    .input(ZItemRef)
    .output(ZItemWorkspace)
    .query(({ ctx, input }) => locateItem({ store: ctx.store, actor: ctx.actor, item: input })),

  get: workspaceProcedure()
    .output(ZMyWorkspace)
    .query(({ ctx: { access } }) => ({
      id: access.workspace.id,
      name: access.workspace.name,
      plan: access.workspace.plan,
      role: access.member.role,
      scopes: access.scopes,
      byoChannelConfigured: access.workspace.byoChannelConfigured,
    })),

  /** Bring-your-own channel on/off: an admin's decision, so hosts.manage. */
  setByoChannel: workspaceProcedure("hosts.manage")
    .input(z.object({ enabled: z.boolean() }))
    .output(z.object({ enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setByoChannel({ store: ctx.store, actor: ctx.actor, access: ctx.access, enabled: input.enabled });
      return { enabled: input.enabled };
    }),

  create: authedProcedure
    .input(z.object({ name: ZWorkspaceName }))
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const workspace = await createWorkspace({ store: ctx.store, actor: ctx.actor, name: input.name });
      return { id: workspace.id };
    }),
});
