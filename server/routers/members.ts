import { z } from "zod";
import { ZEmail, ZEtag, ZInviteId, ZInviteView, ZMemberId, ZMemberView, ZScopeList, ZTimestamp } from "@/prisma-free-schema";
import { getEnv } from "../env";
import { issueWorkspaceInvite } from "../services/invites/issue-invite";
import { listPendingInvites } from "../services/invites/list-invites";
import { revokeInvite } from "../services/invites/revoke-invite";
import { listMembers } from "../services/members/list-members";
import { removeMember } from "../services/members/remove-member";
import { updateMemberScopes } from "../services/members/update-member-scopes";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

const manage = workspaceProcedure("members.manage");

export const membersRouter = router({
  list: manage.output(z.array(ZMemberView)).query(({ ctx }) => listMembers({ store: ctx.store, access: ctx.access })),

  /** Adding a member is issuing a one-time invite link (shown once) with the scopes chosen here. */
  add: manage
    .input(z.object({ email: ZEmail, scopes: ZScopeList }))
    .output(z.object({ inviteId: ZInviteId, link: z.string(), expiresAt: ZTimestamp }))
    .mutation(({ ctx, input }) =>
      issueWorkspaceInvite({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input, baseUrl: getEnv().publicUrl ?? ctx.origin }),
    ),

  invites: manage.output(z.array(ZInviteView)).query(({ ctx }) => listPendingInvites({ store: ctx.store, access: ctx.access })),

  revokeInvite: manage
    .input(z.object({ inviteId: ZInviteId }))
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeInvite({ store: ctx.store, actor: ctx.actor, access: ctx.access, inviteId: input.inviteId });
      return { revoked: true as const };
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
