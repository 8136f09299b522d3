import { z } from "zod";
import { ZEtag, ZNewProfileSettings, ZPageInput, ZProfileId, ZProfileOptions, ZProfileReadiness, ZProfileReadinessInput, ZProfileSettings, ZProfileView, ZResolution } from "@/prisma-free-schema";
import { createProfile } from "../services/profiles/create-profile";
import { deleteProfile } from "../services/profiles/delete-profile";
import { getProfile } from "../services/profiles/get-profile";
import { listProfiles } from "../services/profiles/list-profiles";
import { profileOptions } from "../services/profiles/profile-options";
import { updateProfile } from "../services/profiles/update-profile";
import { resolveProfile } from "../services/resolver/resolve-profile";
import { resolveProfiles } from "../services/resolver/resolve-profiles";
import { log } from "../log";
import { pushDockerPoolsForProfile } from "../services/hosts/docker-pools";
import { processChannel } from "../services/process-channel";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

/** Every member may read profiles (they launch from them); changing them needs profiles.manage. */
const member = workspaceProcedure();
const manage = workspaceProcedure("profiles.manage");

export const profilesRouter = router({
  list: member
    .input(ZPageInput)
    .output(z.object({ items: z.array(ZProfileView), cursor: z.string().optional() }))
    .query(({ ctx, input }) => listProfiles({ store: ctx.store, workspaceId: ctx.access.workspace.id, limit: input.limit, cursor: input.cursor })),

  get: member
    .input(z.object({ profileId: ZProfileId }))
    .output(ZProfileView)
    .query(({ ctx, input }) => getProfile({ store: ctx.store, workspaceId: ctx.access.workspace.id, profileId: input.profileId })),

  /** The templates, resource classes and host choices create accepts, and the defaults it fills in. */
  options: member.output(ZProfileOptions).query(() => profileOptions()),

  /** Only a name is required: the rest defaults to the workspace defaults (see profiles.options). */
  create: manage
    .input(ZNewProfileSettings)
    .output(ZProfileView)
    .mutation(({ ctx, input }) => createProfile({ store: ctx.store, actor: ctx.actor, access: ctx.access, settings: input })),

  update: manage
    .input(z.object({ profileId: ZProfileId, etag: ZEtag, settings: ZProfileSettings }))
    .output(ZProfileView)
    .mutation(async ({ ctx, input }) => {
      const updated = await updateProfile({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input });
      // Warm containers made for the old definition must go; best effort, the next operator connect does it too.
      await processChannel()
        .then((channel) => pushDockerPoolsForProfile(ctx.store, channel, ctx.access.workspace.id, updated.id))
        .catch((error: unknown) => log.warn("profile.pool_refresh_failed", { profileId: updated.id, error }));
      return updated;
    }),

  delete: manage
    .input(z.object({ profileId: ZProfileId }))
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteProfile({ store: ctx.store, actor: ctx.actor, access: ctx.access, profileId: input.profileId });
      return { deleted: true as const };
    }),

  /** A dry run of the launch resolver, for the viewer: where a launch would land right now. */
  resolve: member
    .input(z.object({ profileId: ZProfileId }))
    .output(ZResolution)
    .query(async ({ ctx, input }) => {
      const profile = await getProfile({ store: ctx.store, workspaceId: ctx.access.workspace.id, profileId: input.profileId });
      return resolveProfile({ store: ctx.store, workspace: ctx.access.workspace, member: ctx.access.member, profile });
    }),

  /** The same dry run for a page of profiles at once, for the profiles list's readiness column. */
  readiness: member
    .input(ZProfileReadinessInput)
    .output(z.array(ZProfileReadiness))
    .query(({ ctx, input }) => resolveProfiles({ store: ctx.store, workspace: ctx.access.workspace, member: ctx.access.member, profileIds: input.profileIds })),
});
