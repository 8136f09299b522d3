import type { Actor } from "../../auth/actor";
import { AppError } from "../../errors";
import type { Store } from "../../store/store";
import { userStore } from "../../store/user-store";
import { endAllSessions } from "../sessions/sessions";
import { hashPassword, verifyPassword } from "./password-hash";
import { log } from "../../log";
import { countSignInAttempt, retryMessage, signInSucceeded } from "./sign-in-attempts";

export interface ChangePasswordOptions {
  store: Store;
  actor: Actor;
  currentPassword: string;
  newPassword: string;
  address: string | undefined;
}

/**
 * A local account's new password. The current one is checked like a sign-in (the same counters,
 * counted before the hash, so a stolen session cannot guess it either), and every session of the
 * account ends, this one included: a cookie copied before the change is refused after it.
 */
export async function changePassword({ store, actor, currentPassword, newPassword, address }: ChangePasswordOptions): Promise<void> {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "Sign in as a person to change a password; API tokens cannot.");
  const users = userStore(store);
  const user = await users.get(actor.userId);
  if (!user || user.identity.provider !== "local") throw new AppError("BAD_REQUEST", "Your account signs in with Microsoft; its password is managed there.");
  const attempt = await countSignInAttempt(store, user.email, address);
  if (!attempt.allowed) throw new AppError("TOO_MANY_REQUESTS", retryMessage(attempt), { field: "currentPassword" });
  if (!(await verifyPassword(currentPassword, user.password))) {
    throw new AppError("BAD_REQUEST", "That is not your current password.", { field: "currentPassword" });
  }
  await signInSucceeded(store, attempt);
  if (currentPassword === newPassword) throw new AppError("BAD_REQUEST", "Choose a password different from the current one.", { field: "newPassword" });

  const hash = await hashPassword(newPassword);
  const now = new Date().toISOString();
  // Sessions end before the password changes: if the store fails after, the person is only signed
  // out with the old password still good, never left with a new password and old cookies alive.
  await endAllSessions(store, user.id, "password_changed");
  await users.update(user.id, (current) => ({ ...current, password: hash, passwordChangedAt: now }));
  // A sign-in with the old password between the two would have started a session: end that too.
  // The change is made by now, so a failure here is logged rather than answered as one.
  await endAllSessions(store, user.id, "password_changed").catch((error: unknown) => {
    log.error("auth.sessions_end_after_password_change_failed", { userId: user.id, error: error instanceof Error ? error.message : String(error) });
  });
}
