import { hasScope, type TApiTokenView, type TTokenCommandArgs, type TWorkspace, ZWorkspaceId } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import type { WithEtag } from "../../store/documents";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { userStore } from "../../store/user-store";
import { workspaceStore } from "../../store/workspace-store";
import { createApiToken } from "./create-api-token";

/**
 * `npm run tokens -- create` (issue 15 point 3): someone on the platform's own machine mints a
 * token for a workspace's manager without a browser. Whoever runs it can read the store anyway,
 * so the check is not who runs it but whom the token acts as: a member holding members.manage,
 * with the tokens page's rules (scopes they hold, the cap) and its audit event, marked as made
 * on the command line.
 */
export async function createApiTokenFromCommandLine({ store, args }: { store: Store; args: TTokenCommandArgs }): Promise<{ token: TApiTokenView; bearer: string; workspace: TWorkspace }> {
  const workspace = await findWorkspace(store, args.workspace);
  const actor = await memberAsActor(store, workspace, args.owner);
  const access = await resolveWorkspaceAccess(store, actor, workspace.id);
  if (!hasScope(access.scopes, "members.manage")) {
    throw new AppError("FORBIDDEN", `${args.owner} does not hold members.manage in workspace "${workspace.name}"; only an owner or someone who manages its members can create a token here.`);
  }
  const { expiresInDays, name, scopes } = args;
  const created = await createApiToken({ store, actor, access, input: { name, scopes, expiresInDays }, via: "command line" });
  return { ...created, workspace };
}

async function findWorkspace(store: Store, idOrName: string): Promise<WithEtag<TWorkspace>> {
  const workspaces = workspaceStore(store);
  if (ZWorkspaceId.safeParse(idOrName).success) {
    const byId = await workspaces.get(idOrName);
    if (!byId) throw new AppError("NOT_FOUND", `No workspace has the id ${idOrName}.`);
    return byId;
  }
  const named = await workspaces.findByName(idOrName);
  if (named.length === 0) throw new AppError("NOT_FOUND", `No workspace is named "${idOrName}".`);
  if (named.length > 1) throw new AppError("CONFLICT", `${named.length} workspaces are named "${idOrName}"; give the id of the one you mean (${named.map((w) => w.id).join(", ")}).`);
  return named[0]!;
}

/**
 * The member of this workspace with that email, as the person they signed in as. Memberships
 * are otherwise never found by email (issue 10); here the search is one workspace's members, and
 * two accounts sharing the email there are refused rather than guessed between.
 */
async function memberAsActor(store: Store, workspace: TWorkspace, email: string): Promise<Actor> {
  const members = (await memberStore(store).listForWorkspace(workspace.id)).filter((member) => member.email === email);
  if (members.length === 0) throw new AppError("NOT_FOUND", `${email} is not a member of workspace "${workspace.name}".`);
  const joined = members.filter((member) => member.userId !== null);
  if (joined.length === 0) throw new AppError("FORBIDDEN", `${email} was invited to workspace "${workspace.name}" but has not joined it yet.`);
  if (joined.length > 1) throw new AppError("CONFLICT", `Two accounts with the email ${email} are members of workspace "${workspace.name}"; a token cannot be made for either from the command line.`);
  const user = await userStore(store).get(joined[0]!.userId!);
  if (!user) throw notFound("Account");
  return { kind: "user", userId: user.id, email: user.email, name: user.name };
}
