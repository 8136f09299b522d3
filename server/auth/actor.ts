import type { TAuditActor, TScope } from "@/prisma-free-schema";

/** Who is calling: a signed-in person, or an internal tool holding one of their API tokens. */
export type Actor =
  | { kind: "user"; userId: string; email: string; name: string }
  | {
      kind: "api_token";
      tokenId: string;
      tokenName: string;
      userId: string;
      email: string;
      /** The token's workspace: it opens no other. */
      workspaceId: string;
      memberId: string;
      scopes: TScope[];
    };

export function auditActorOf(actor: Actor): TAuditActor {
  return actor.kind === "user"
    ? { kind: "user", id: actor.userId, label: actor.email }
    : { kind: "api_token", id: actor.tokenId, label: `${actor.email} (token "${actor.tokenName}")` };
}
