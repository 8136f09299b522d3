import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { type TScope, ZWorkspaceId } from "@/prisma-free-schema";
import { resolveWorkspaceAccess } from "../auth/workspace-access";
import { publicProcedure } from "./init";

/** A signed-in person or a valid API token; anyone else gets UNAUTHORIZED. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.bearerRejected ? "The API token is not valid: it is unknown, expired or revoked." : "Sign in to continue.",
    });
  }
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/**
 * Everything inside a workspace goes through here: the input names the workspace, the caller
 * must be its member (NOT_FOUND otherwise, as if it did not exist) and, when `scope` is given,
 * hold that scope (FORBIDDEN otherwise). The resolved access rides on the context.
 */
export function workspaceProcedure(scope?: TScope) {
  return authedProcedure.input(z.object({ workspaceId: ZWorkspaceId })).use(async ({ ctx, input, next }) => {
    const access = await resolveWorkspaceAccess(ctx.store, ctx.actor, input.workspaceId, scope);
    return next({ ctx: { ...ctx, access } });
  });
}
