import { z } from "zod";
import { router } from "../trpc/init";
import { authedProcedure } from "../trpc/procedures";

export const meRouter = router({
  whoami: authedProcedure
    .output(z.object({ kind: z.enum(["user", "api_token"]), userId: z.string(), email: z.string(), workspaceId: z.string().nullable() }))
    .query(({ ctx: { actor } }) => ({
      kind: actor.kind,
      userId: actor.userId,
      email: actor.email,
      workspaceId: actor.kind === "api_token" ? actor.workspaceId : null,
    })),
});
