import { CONTAINERS, type TMember, ZMember } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function memberStore(store: Store) {
  const members = new DocumentCollection(store, CONTAINERS.members, ZMember, {
    exists: "This person is already a member of the workspace.",
    changed: "This member was changed by someone else. Reload and try again.",
    existsField: "email",
  });
  return {
    get: (workspaceId: string, memberId: string) => members.read(memberId, workspaceId),
    create: (member: TMember) => members.create(member),
    replace: (member: TMember, etag: string) => members.replace(member, etag, member.workspaceId),
    delete: (workspaceId: string, memberId: string) => members.delete(memberId, workspaceId),
    /** A person's membership, by their user id: memberships are never found by email (issue 10). */
    findByUserId: async (workspaceId: string, userId: string) =>
      (await members.queryAll("SELECT * FROM c WHERE c.userId = @user", [{ name: "@user", value: userId }], { partitionKey: workspaceId }))[0],
    listForWorkspace: (workspaceId: string) =>
      members.queryAll("SELECT * FROM c ORDER BY c.createdAt ASC", [], { partitionKey: workspaceId }),
    /** Members whose default Docker host is this one (to clear it when the host goes). */
    withDefaultDockerHost: (workspaceId: string, hostId: string) =>
      members.queryAll("SELECT * FROM c WHERE c.defaultDockerHostId = @host", [{ name: "@host", value: hostId }], { partitionKey: workspaceId }),
    /** Every workspace a person belongs to: the one cross-partition query, bounded by one person. */
    listForUser: (userId: string) => members.queryAll("SELECT * FROM c WHERE c.userId = @user", [{ name: "@user", value: userId }]),
  };
}
