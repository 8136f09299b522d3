/**
 * The scopes a member (and an API token) can hold. The seeds name them; the order here is the
 * order the Settings page shows them in.
 */
export const SCOPES = [
  "hosts.read",
  "hosts.manage",
  "profiles.manage",
  "runs.start",
  "audit.read",
  "members.manage",
] as const;
export type TScope = (typeof SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<TScope, string> = {
  "hosts.read": "See sandbox hosts and their status",
  "hosts.manage": "Register, edit and delete hosts; download operator bundles",
  "profiles.manage": "Create, edit and delete sandbox profiles",
  "runs.start": "Start runs and send turns",
  "audit.read": "Read the audit trail",
  "members.manage": "Add and remove members, change their scopes",
};

/** Managing hosts without seeing them makes no sense, so `hosts.manage` carries `hosts.read`. */
const IMPLIED: Partial<Record<TScope, readonly TScope[]>> = {
  "hosts.manage": ["hosts.read"],
};

/** A scope set normalised: duplicates removed, implied scopes added, in the canonical order. */
export function normalizeScopes(scopes: readonly TScope[]): TScope[] {
  const held = new Set<TScope>(scopes);
  for (const scope of scopes) for (const implied of IMPLIED[scope] ?? []) held.add(implied);
  return SCOPES.filter((scope) => held.has(scope));
}

export function hasScope(held: readonly TScope[], needed: TScope): boolean {
  return normalizeScopes(held).includes(needed);
}
