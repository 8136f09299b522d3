import { z } from "zod";
import { ZEmail, ZInviteSummary, ZInviteToken, ZPassword, ZPersonName } from "@/prisma-free-schema";
import { acceptInvite } from "../services/invites/accept-invite";
import { acceptInviteWithNewAccount } from "../services/invites/accept-invite-with-new-account";
import { describeInvite } from "../services/invites/open-invite";
import { publicProcedure, router } from "../trpc/init";
import { authedProcedure } from "../trpc/procedures";

/** The invite page's calls. The token is the whole credential: 256 random bits, stored only as a digest. */
export const invitesRouter = router({
  describe: publicProcedure
    .input(z.object({ token: ZInviteToken }))
    .output(ZInviteSummary)
    .query(({ ctx, input }) => describeInvite(ctx.store, input.token)),

  accept: authedProcedure
    .input(z.object({ token: ZInviteToken }))
    .output(z.object({ workspaceId: z.string() }))
    .mutation(({ ctx, input }) => acceptInvite({ store: ctx.store, actor: ctx.actor, token: input.token })),

  acceptWithNewAccount: publicProcedure
    .input(z.object({ token: ZInviteToken, name: ZPersonName, email: ZEmail, password: ZPassword }))
    .output(z.object({ workspaceId: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => ({ workspaceId: (await acceptInviteWithNewAccount({ store: ctx.store, ...input })).workspaceId })),
});
