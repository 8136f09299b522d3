import { newId, type TApiToken, type TApiTokenView, type TCreateApiTokenInput } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError } from "../../errors";
import { apiTokenStore } from "../../store/api-token-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { caps, withinCap } from "../limits/caps";
import { mintApiTokenSecret } from "./api-token-secret";
import { toApiTokenView } from "./api-token-view";

export interface CreateApiTokenOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  input: TCreateApiTokenInput;
  /** Where the request came from, for the audit trail: the Settings page and the API, or `npm run tokens` on the platform's machine. */
  via?: "api" | "command line";
}

/** Mints a token for the calling member; the bearer value is returned here and never again. */
export async function createApiToken({ store, actor, access, input, via = "api" }: CreateApiTokenOptions): Promise<{ token: TApiTokenView; bearer: string }> {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "API tokens cannot create tokens: create one on Settings → API tokens, or on the platform's machine with npm run tokens -- create.");
  const missing = input.scopes.filter((scope) => !access.scopes.includes(scope));
  if (missing.length > 0) {
    throw new AppError("FORBIDDEN", `A token can only carry scopes you hold; you do not hold ${missing.join(", ")}.`, { field: "scopes" });
  }
  const id = newId("tok");
  const { bearer, secretHash, preview } = mintApiTokenSecret(id);
  const now = new Date();
  const token: TApiToken = {
    id,
    type: "apiToken",
    workspaceId: access.workspace.id,
    memberId: access.member.id,
    userId: actor.userId,
    name: input.name,
    scopes: input.scopes,
    secretHash,
    preview,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    revokedBy: null,
  };
  const tokens = apiTokenStore(store);
  await auditedChange(
    store,
    {
      workspaceId: token.workspaceId,
      eventType: "api_token.created",
      actor: auditActorOf(actor),
      target: { kind: "api_token", id: token.id, label: token.name },
      data: { scopes: token.scopes, expiresAt: token.expiresAt, via },
    },
    { container: "apiTokens", partitionKey: token.id, id: token.id, landed: "present" },
    () => withinCap(store, caps.apiTokens(token.workspaceId), () => tokens.create(token)),
  );
  return { token: toApiTokenView(token, actor.email), bearer };
}
