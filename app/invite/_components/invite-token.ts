const KEY = "dp-invite-token";

/**
 * The invite token from the link's `#`, kept in this tab's sessionStorage while the person signs
 * in (the sign-in page's callback URL is plain `/invite`, so the token never travels in a URL to
 * the server) and taken out of the address bar and history.
 */
export function readInviteToken(): string | undefined {
  const fromHash = window.location.hash.slice(1);
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash);
    window.history.replaceState(null, "", "/invite");
    return fromHash;
  }
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function forgetInviteToken(): void {
  sessionStorage.removeItem(KEY);
}
