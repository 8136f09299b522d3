import { hasScope, type TApiTokenView } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { apiTokenStore } from "../../store/api-token-store";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { toApiTokenView } from "./api-token-view";

/** A member sees their own tokens; someone with members.manage sees everyone's, to revoke them. */
export async function listApiTokens({ store, access }: { store: Store; access: WorkspaceAccess }): Promise<TApiTokenView[]> {
  const everyone = hasScope(access.scopes, "members.manage");
  const tokens = await apiTokenStore(store).listForWorkspace(access.workspace.id, everyone ? undefined : access.member.id);
  const emails = new Map((await memberStore(store).listForWorkspace(access.workspace.id)).map((member) => [member.id, member.email]));
  emails.set(access.member.id, access.member.email);
  return tokens.map((token) => toApiTokenView(token, emails.get(token.memberId) ?? "former member"));
}
