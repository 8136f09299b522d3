import { type TUser, type TUserIdentity, withoutUnsafeNameCharacters } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import type { Store } from "../../store/store";
import { userIdFor, userStore } from "../../store/user-store";

/**
 * Records a sign-in by an identity the caller has already proven (Entra's signed id token, or
 * development's passwordless local sign-in): creates the person on first sign-in, refreshes name
 * and time after. It links nothing by email: memberships come from accepted invites only.
 */
export async function signInIdentity({ store, identity, email, name: claimedName }: { store: Store; identity: Exclude<TUserIdentity, { provider: "legacy-entra" }>; email: string; name: string }): Promise<TUser> {
  const users = userStore(store);
  // A name from an identity provider is shown as it is kept: text-direction tricks and control
  // characters are taken out rather than refusing the person's sign-in.
  const name = withoutUnsafeNameCharacters(claimedName).trim().slice(0, 100) || email;
  const id = userIdFor(identity);
  const provider = identity.provider;
  const now = new Date().toISOString();
  const existing = await users.get(id);
  if (existing) {
    assertSameIdentity(existing, identity);
    const result = await users.update(id, (current) => ({ ...current, name, email: provider === "entra" ? email : current.email, lastProvider: provider, lastSignInAt: now }));
    return result?.after ?? existing;
  }
  const user: TUser = { id, type: "user", identity, email, name, password: null, lastProvider: provider, createdAt: now, lastSignInAt: now, passwordChangedAt: null };
  try {
    return await users.create(user);
  } catch (error) {
    // Two first sign-ins racing: the other one created the same person.
    if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    const created = await users.get(id);
    if (!created) throw error;
    assertSameIdentity(created, identity);
    return created;
  }
}

/** A document at this id that belongs to another identity is never taken over. */
function assertSameIdentity(user: TUser, identity: TUserIdentity): void {
  const same =
    user.identity.provider === identity.provider &&
    (identity.provider === "entra"
      ? user.identity.provider === "entra" && user.identity.tenantId === identity.tenantId && user.identity.objectId === identity.objectId
      : "email" in user.identity && user.identity.email === identity.email);
  if (!same) throw new AppError("FORBIDDEN", "This account signs in another way; it cannot be used with this sign-in.");
}
