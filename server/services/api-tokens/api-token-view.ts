import type { TApiToken, TApiTokenView } from "@/prisma-free-schema";

export function apiTokenStatus(token: Pick<TApiToken, "revokedAt" | "expiresAt">, now = Date.now()): TApiTokenView["status"] {
  if (token.revokedAt) return "revoked";
  return Date.parse(token.expiresAt) <= now ? "expired" : "active";
}

export function toApiTokenView(token: TApiToken, ownerEmail: string): TApiTokenView {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    preview: token.preview,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
    ownerEmail,
    status: apiTokenStatus(token),
  };
}
