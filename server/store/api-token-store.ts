import { CONTAINERS, type TApiToken, ZApiToken } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function apiTokenStore(store: Store) {
  const tokens = new DocumentCollection(store, CONTAINERS.apiTokens, ZApiToken, {
    exists: "A token with this id already exists.",
    changed: "This token was changed at the same time. Reload and try again.",
  });
  return {
    get: (id: string) => tokens.read(id, id),
    create: (token: TApiToken) => tokens.create(token),
    replace: (token: TApiToken, etag: string) => tokens.replace(token, etag, token.id),
    delete: (id: string) => tokens.delete(id, id),
    touchLastUsed: (id: string, at: string) => tokens.patch(id, id, [{ op: "set", path: "/lastUsedAt", value: at }]),
    listForWorkspace: (workspaceId: string, memberId?: string) =>
      tokens.queryAll(
        `SELECT * FROM c WHERE c.workspaceId = @ws${memberId ? " AND c.memberId = @member" : ""} ORDER BY c.createdAt DESC`,
        [
          { name: "@ws", value: workspaceId },
          ...(memberId ? [{ name: "@member", value: memberId }] : []),
        ],
      ),
  };
}
