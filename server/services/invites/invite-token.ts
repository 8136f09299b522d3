import { createHash, randomBytes } from "node:crypto";

/** A fresh link token (256 bits) and the digest the store keeps instead of it. */
export function newInviteToken(): { token: string; hash: string } {
  const token = `dpi_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashInviteToken(token) };
}

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The link people open. The token rides after `#`, which browsers never send to a server: it
 * stays out of access logs, proxies and Referer headers; the invite page reads it in the browser.
 */
export function inviteLink(baseUrl: string | undefined, token: string): string {
  return `${baseUrl ?? ""}/invite#${token}`;
}
