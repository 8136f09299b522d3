import type { TUser } from "@/prisma-free-schema";
import type { Store } from "../../store/store";
import { userIdFor, userStore } from "../../store/user-store";
import { verifyPassword } from "./password-hash";
import { countSignInAttempt, retryMessage, signInSucceeded } from "./sign-in-attempts";

export type PasswordSignIn =
  | { ok: true; user: TUser }
  | { ok: false; reason: "wrong"; message: string }
  | { ok: false; reason: "no-password"; message: string }
  | { ok: false; reason: "rate-limited"; message: string; retryAfterSeconds: number };

const WRONG = "Wrong email or password.";
const NO_PASSWORD = "This account was made before passwords and has none. Ask the platform operator for a set-password link.";

/**
 * A local account's password sign-in. The try is counted first (see countSignInAttempt) and
 * refused before any hashing when this address has used up its tries at this account or at all
 * accounts; otherwise one scrypt hash whatever the account (an unknown email costs the same as a
 * known one) and a constant-time compare. Every refusal but the rate limit reads the same, so the
 * answer does not tell which emails have accounts.
 */
export async function signInWithPassword({ store, email, password, address }: { store: Store; email: string; password: string; address: string | undefined }): Promise<PasswordSignIn> {
  const attempt = await countSignInAttempt(store, email, address);
  if (!attempt.allowed) return { ok: false, reason: "rate-limited", message: retryMessage(attempt), retryAfterSeconds: attempt.retryAfterSeconds };

  const found = await userStore(store).get(userIdFor({ provider: "local", email }));
  const user = found && found.identity.provider === "local" ? found : undefined;
  const matches = await verifyPassword(password, user?.password);
  if (!matches || !user) {
    // The try stays counted.
    // Accounts from before passwords (passwordless local sign-in) have none to check: say so,
    // and how to get one, rather than "wrong password" forever.
    if (user && !user.password) return { ok: false, reason: "no-password", message: NO_PASSWORD };
    return { ok: false, reason: "wrong", message: WRONG };
  }
  await signInSucceeded(store, attempt);
  const { etag: _etag, ...signedIn } = user;
  return { ok: true, user: signedIn };
}
