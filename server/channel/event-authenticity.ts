import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Decides whether an event-handler request really comes from our hub. With an access key, Web
 * PubSub signs each event: `ce-signature` lists `sha256=<hex HMAC-SHA256(key, connectionId)>`, one
 * per key the hub holds. With managed identity there is no key, so the handler URL configured on
 * the hub carries a secret in its query instead.
 */
export type EventAuthenticity = { kind: "access-key"; accessKey: string } | { kind: "handler-secret"; secret: string };

export function isAuthenticEvent(authenticity: EventAuthenticity, request: { url: URL; connectionId: string; signature: string | null }): boolean {
  if (authenticity.kind === "handler-secret") return sameText(request.url.searchParams.get("secret") ?? "", authenticity.secret);
  if (!request.signature) return false;
  const expected = `sha256=${createHmac("sha256", authenticity.accessKey).update(request.connectionId).digest("hex")}`;
  return request.signature.split(",").some((candidate) => sameText(candidate.trim().toLowerCase(), expected));
}

/** The AccessKey part of a Web PubSub connection string (keys are case-insensitive, as the SDK reads them). */
export function accessKeyOf(connectionString: string): string {
  for (const part of connectionString.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim().toLowerCase() === "accesskey") return part.slice(at + 1);
  }
  throw new Error("The Web PubSub connection string has no AccessKey.");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
