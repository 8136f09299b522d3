/** next-auth's `?error=` codes, said the way a person would want to hear them. */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
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

/**
 * The platform's own refusals (rate limits, accounts without a password) arrive as `dp:` and a
 * sentence. Only these exact shapes are shown, so a crafted `?error=` cannot put words on the page.
 */
const OWN_MESSAGES = [
  /^Too many failed sign-in attempts (for this account|from your network address)\. Try again in \d{1,5} (seconds|minutes)\.$/,
  /^This account was made before passwords and has none\. Ask the platform operator for a set-password link\.$/,
];

export function signInErrorMessage(code: string): string {
  if (code.startsWith("dp:")) {
    const message = code.slice(3);
    if (OWN_MESSAGES.some((shape) => shape.test(message))) return message;
  }
  return MESSAGES[code] ?? "Sign-in failed. Try again.";
}
