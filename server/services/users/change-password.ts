import type { Actor } from "../../auth/actor";
import { AppError } from "../../errors";
import type { Store } from "../../store/store";
import { userStore } from "../../store/user-store";
import { endAllSessions } from "../sessions/sessions";
import { hashPassword, verifyPassword } from "./password-hash";
import { checkSignInAllowed, clearAccountFailures, recordSignInFailure, retryMessage } from "./sign-in-attempts";

export interface ChangePasswordOptions {
  store: Store;
  actor: Actor;
  currentPassword: string;
  newPassword: string;
  address: string | undefined;
}

/**
 * A local account's new password. The current one is checked like a sign-in (same failure
 * counters, so a stolen session cannot guess it either), and every session of the account ends,
 * this one included: a cookie copied before the change is refused after it.
 */
export async function changePassword({ store, actor, currentPassword, newPassword, address }: ChangePasswordOptions): Promise<void> {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "Sign in as a person to change a password; API tokens cannot.");
  const users = userStore(store);
  const user = await users.get(actor.userId);
  if (!user || user.identity.provider !== "local") throw new AppError("BAD_REQUEST", "Your account signs in with Microsoft; its password is managed there.");
  const limit = await checkSignInAllowed(store, user.email, address);
  if (!limit.allowed) throw new AppError("TOO_MANY_REQUESTS", retryMessage(limit), { field: "currentPassword" });
  if (!(await verifyPassword(currentPassword, user.password))) {
    await recordSignInFailure(store, user.email, address);
    throw new AppError("BAD_REQUEST", "That is not your current password.", { field: "currentPassword" });
  }
  if (currentPassword === newPassword) throw new AppError("BAD_REQUEST", "Choose a password different from the current one.", { field: "newPassword" });
  await clearAccountFailures(store, user.email);

  const hash = await hashPassword(newPassword);
  const now = new Date().toISOString();
  await users.update(user.id, (current) => ({ ...current, password: hash, passwordChangedAt: now }));
  await endAllSessions(store, user.id, "password_changed");
}
