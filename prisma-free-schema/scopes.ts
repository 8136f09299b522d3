import { z } from "zod";
import { normalizeScopes, SCOPES } from "./vocabulary/scopes";

export { SCOPES, SCOPE_DESCRIPTIONS, hasScope, normalizeScopes, type TScope } from "./vocabulary/scopes";

export const ZScope = z.enum(SCOPES);

export const ZScopeList = z
  .array(ZScope)
  .max(SCOPES.length * 2)
  .transform((scopes) => normalizeScopes(scopes));
