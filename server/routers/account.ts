import { z } from "zod";
import { ZEmail, ZPassword, ZPersonName } from "@/prisma-free-schema";
import { changePassword } from "../services/users/change-password";
import { createFirstAccount, firstAccountOpen } from "../services/users/create-first-account";
import { passwordAccountsEnabled } from "../services/users/local-mode";
import { publicProcedure, router } from "../trpc/init";
import { authedProcedure } from "../trpc/procedures";

export const accountRouter = router({
  /** What the sign-in and onboarding pages offer: passwords, and whether the first account is still to be made. */
  setup: publicProcedure
    .output(z.object({ passwordAccounts: z.boolean(), firstAccountOpen: z.boolean() }))
    .query(async ({ ctx }) => ({ passwordAccounts: passwordAccountsEnabled(), firstAccountOpen: await firstAccountOpen(ctx.store) })),

  createFirst: publicProcedure
    .input(z.object({ name: ZPersonName, email: ZEmail, password: ZPassword }))
    .output(z.object({ userId: z.string() }))
    .mutation(async ({ ctx, input }) => ({ userId: (await createFirstAccount({ store: ctx.store, ...input })).id })),

  changePassword: authedProcedure
    .input(z.object({ currentPassword: z.string().min(1, { message: "Enter your current password" }).max(200), newPassword: ZPassword }))
    .output(z.object({ changed: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await changePassword({ store: ctx.store, actor: ctx.actor, ...input, address: ctx.clientAddress });
      return { changed: true as const };
    }),
});
