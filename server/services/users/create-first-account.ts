import type { TUser } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { firstAccountClaimStore } from "../../store/first-account-claim-store";
import type { Store } from "../../store/store";
import { userIdFor, userStore } from "../../store/user-store";
import { createLocalAccount } from "./create-local-account";
import { assertPasswordAccounts, passwordAccountsEnabled } from "./local-mode";

const TAKEN = "This platform already has its first account. Sign in, or ask a workspace admin for an invite link.";

/** Whether onboarding may still create the install's first account (nobody has an account yet). */
export async function firstAccountOpen(store: Store): Promise<boolean> {
  if (!passwordAccountsEnabled()) return false;
  if (await firstAccountClaimStore(store).get()) return false;
  return !(await userStore(store).anyone());
}

/**
 * The first person on a fresh install creates their account (with a password) during
 * onboarding. "First" is decided by the store: one claim document with a fixed id, created by
 * whoever gets there first, so two people submitting at once get one account and one refusal.
 * An install that already has people (upgraded, or signed in with Entra) has no "first" to take.
 */
export async function createFirstAccount({ store, name, email, password }: { store: Store; name: string; email: string; password: string }): Promise<TUser> {
  assertPasswordAccounts();
  if (await userStore(store).anyone()) throw new AppError("CONFLICT", TAKEN, { reason: "first_account_taken" });
  const claims = firstAccountClaimStore(store);
  try {
    await claims.create(userIdFor({ provider: "local", email }));
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") throw new AppError("CONFLICT", TAKEN, { reason: "first_account_taken" });
    throw error;
  }
  try {
    return await createLocalAccount({ store, name, email, password });
  } catch (error) {
    await claims.delete();
    throw error;
  }
}
