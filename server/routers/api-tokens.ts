import { z } from "zod";
import { ZApiTokenId, ZApiTokenView, ZCreateApiTokenInput } from "@/prisma-free-schema";
import { createApiToken } from "../services/api-tokens/create-api-token";
import { listApiTokens } from "../services/api-tokens/list-api-tokens";
import { revokeApiToken } from "../services/api-tokens/revoke-api-token";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

/** Any member may hold tokens; the scopes a token carries are checked against the member's. */
const member = workspaceProcedure();

export const apiTokensRouter = router({
  list: member.output(z.array(ZApiTokenView)).query(({ ctx }) => listApiTokens({ store: ctx.store, access: ctx.access })),

  create: member
    .input(ZCreateApiTokenInput)
    .output(z.object({ token: ZApiTokenView, bearer: z.string() }))
    .mutation(({ ctx, input }) => createApiToken({ store: ctx.store, actor: ctx.actor, access: ctx.access, input })),

  revoke: member
    .input(z.object({ tokenId: ZApiTokenId }))
    .output(ZApiTokenView)
    .mutation(({ ctx, input }) => revokeApiToken({ store: ctx.store, actor: ctx.actor, access: ctx.access, tokenId: input.tokenId })),
});
