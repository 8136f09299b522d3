import { type TScope, normalizeScopes } from "@/prisma-free-schema";
import { AppError } from "../../errors";

/** Nobody hands out more than they hold: the granted scopes must all be the granter's. */
export function assertCanGrant(granterScopes: readonly TScope[], wanted: readonly TScope[]): TScope[] {
  const scopes = normalizeScopes(wanted);
  const missing = scopes.filter((scope) => !granterScopes.includes(scope));
  if (missing.length > 0) {
    throw new AppError("FORBIDDEN", `You cannot grant scopes you do not hold: ${missing.join(", ")}.`, { field: "scopes" });
  }
  return scopes;
}
