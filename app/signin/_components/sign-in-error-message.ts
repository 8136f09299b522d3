/** next-auth's `?error=` codes, said the way a person would want to hear them. */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Sign-in failed. Check the name and email you entered.",
  AccessDenied: "Your account is not allowed to sign in here.",
  OAuthSignin: "We could not start the Microsoft sign-in. Try again.",
  OAuthCallback: "Microsoft sign-in did not complete. Try again.",
  OAuthCreateAccount: "We could not set up your account from your Microsoft profile.",
  OAuthAccountNotLinked: "This email is already linked to another way of signing in.",
  Callback: "Sign-in did not complete. Try again.",
  SessionRequired: "Sign in to continue.",
  Configuration: "Sign-in is not configured correctly on this server. Ask your administrator.",
  Verification: "That sign-in link has expired or was already used.",
};

export function signInErrorMessage(code: string): string {
  return MESSAGES[code] ?? "Sign-in failed. Try again.";
}
