import { getEnv } from "../../env";
import { AppError } from "../../errors";

/** Local accounts with passwords are on (local sign-in on, and not development's passwordless mode). */
export function passwordAccountsEnabled(): boolean {
  const { localSignIn, localPasswordless } = getEnv().auth;
  return localSignIn && !localPasswordless;
}

export function assertPasswordAccounts(): void {
  if (!passwordAccountsEnabled()) {
    throw new AppError("FORBIDDEN", getEnv().auth.localSignIn ? "Development sign-in needs no account: sign in with a name and email." : "Local accounts are turned off here; sign in with Microsoft.");
  }
}
