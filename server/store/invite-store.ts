import { CONTAINERS, type TInvite, ZInvite } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function inviteStore(store: Store) {
  const invites = new DocumentCollection(store, CONTAINERS.invites, ZInvite, {
    exists: "This invite already exists.",
    changed: "This invite link was used at the same moment by someone else.",
  });
  return {
    /** By the SHA-256 of the link's token: one point read. */
    get: (tokenHash: string) => invites.read(tokenHash, tokenHash),
    create: (invite: TInvite) => invites.create(invite),
    replace: (invite: TInvite, etag: string) => invites.replace(invite, etag, invite.id),
    /** A workspace's invites (a cross-partition query bounded by one workspace, for its Members page). */
    listForWorkspace: (workspaceId: string) =>
      invites.queryAll("SELECT * FROM c WHERE c.workspaceId = @ws ORDER BY c.createdAt DESC", [{ name: "@ws", value: workspaceId }]),
    findByInviteId: async (inviteId: string) =>
      (await invites.queryAll("SELECT * FROM c WHERE c.inviteId = @id", [{ name: "@id", value: inviteId }]))[0],
  };
}
