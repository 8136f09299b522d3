import { type TScope, normalizeScopes } from "@/prisma-free-schema";
import { AppError } from "../../errors";

/**
 * Nobody hands out (or takes away) more than they hold: every scope that changes must be the
 * granter's own. Scopes the member already has and keeps are not the granter's business, so a
 * manager can still adjust a member who holds something the manager does not.
 */
export function assertCanGrant(granterScopes: readonly TScope[], wanted: readonly TScope[], current: readonly TScope[] = []): TScope[] {
  const scopes = normalizeScopes(wanted);
  const before = normalizeScopes(current);
  const changed = [...scopes.filter((scope) => !before.includes(scope)), ...before.filter((scope) => !scopes.includes(scope))];
  const missing = changed.filter((scope) => !granterScopes.includes(scope));
  if (missing.length > 0) {
    throw new AppError("FORBIDDEN", `You cannot grant or remove scopes you do not hold: ${missing.join(", ")}.`, { field: "scopes" });
  }
  return scopes;
}

/**
 * Removing a member takes away every scope they hold, so it follows the same rule: a manager
 * may remove only someone whose scopes are all their own (else removing would be a way round
 * `assertCanGrant`).
 */
export function assertCanRemove(removerScopes: readonly TScope[], memberScopes: readonly TScope[]): void {
  const missing = normalizeScopes(memberScopes).filter((scope) => !removerScopes.includes(scope));
  if (missing.length > 0) {
    throw new AppError("FORBIDDEN", `You cannot remove a member who holds scopes you do not hold: ${missing.join(", ")}.`, { field: "memberId" });
  }
}
