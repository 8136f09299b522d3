import { z } from "zod";
import { ZEmail, ZEtag, ZMemberId, ZMemberView, ZScopeList } from "@/prisma-free-schema";
import { addMember } from "../services/members/add-member";
import { listMembers } from "../services/members/list-members";
import { removeMember } from "../services/members/remove-member";
import { updateMemberScopes } from "../services/members/update-member-scopes";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

const manage = workspaceProcedure("members.manage");

export const membersRouter = router({
  list: manage.output(z.array(ZMemberView)).query(({ ctx }) => listMembers({ store: ctx.store, access: ctx.access })),

  add: manage
    .input(z.object({ email: ZEmail, scopes: ZScopeList }))
    .output(z.object({ id: ZMemberId }))
    .mutation(async ({ ctx, input }) => {
      const member = await addMember({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input });
      return { id: member.id };
    }),

  updateScopes: manage
    .input(z.object({ memberId: ZMemberId, scopes: ZScopeList, etag: ZEtag }))
    .output(ZMemberView)
    .mutation(({ ctx, input }) => updateMemberScopes({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input })),

  remove: manage
    .input(z.object({ memberId: ZMemberId }))
    .output(z.object({ removed: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await removeMember({ store: ctx.store, actor: ctx.actor, access: ctx.access, memberId: input.memberId });
      return { removed: true as const };
    }),
});
