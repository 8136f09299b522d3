import { signInErrorMessage } from "./sign-in-error-message";

/**
 * Signs in with the local credentials provider and says how it went: null when signed in (the
 * caller then goes to `callbackUrl`), or the sentence to show. Both local sign-in forms (with a
 * password, and development's passwordless one) share it.
 */
export async function signInLocally(credentials: Record<string, string>, callbackUrl: string): Promise<string | null> {
  try {
    // Loaded on submit: the sign-in page shows (and is usable) without next-auth's browser code.
    const { signIn } = await import("next-auth/react");
    const res = await signIn<"credentials">("local", { ...credentials, redirect: false, callbackUrl });
    return !res || res.error ? signInErrorMessage(res?.error ?? "Default") : null;
  } catch {
    return "Could not reach the server. Check your connection and try again.";
  }
}
