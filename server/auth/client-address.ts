import http from "node:http";
import { isIP } from "node:net";
import { getEnv } from "../env";

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(source: HeaderSource, name: string): string | undefined {
  if (!source) return undefined;
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The address a request came from, for per-address sign-in limits. X-Forwarded-For ends with the
 * peer this process saw (see `installPeerAddress`); with TRUSTED_PROXY_HOPS proxies in front, each
 * appending what it saw, the client is that many entries from the right. Entries further left are
 * whatever the client claimed and are never used.
 */
export function clientAddressOf(headers: HeaderSource): string | undefined {
  const chain = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = chain[chain.length - 1 - getEnv().auth.trustedProxyHops];
  if (!address) return undefined;
  const bare = address.replace(/^::ffff:/, "");
  return isIP(bare) ? bare : undefined;
}

/**
 * What per-address sign-in counters are keyed by: an IPv4 address as it is, an IPv6 address by
 * its /64. One IPv6 subscriber (a home, a VM) is handed a whole /64 and can pick any of its 2^64
 * addresses, so counting each one apart would let a single machine try without end.
 */
export function addressBucketOf(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 kept, 64:ff9b::1.2.3.4) fills the last two groups; only the first four matter here.
  const rightGroups = right.flatMap((group) => (group.includes(".") ? ["0", "0"] : [group]));
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - rightGroups.length)).fill("0"), ...rightGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

const INSTALLED = Symbol.for("discoparrot.peer-address");

/**
 * Next.js fills X-Forwarded-For with the socket's address only when the request has none, so a
 * client could name any address it liked. Appending the real peer to every request, before Next
 * sees it, makes the last entry trustworthy. Patched on the prototype, so it covers the server
 * Next has already created in this process.
 */
export function installPeerAddress(): void {
  const proto = http.Server.prototype as http.Server & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: [unknown, ...unknown[]]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      const peer = req.socket?.remoteAddress;
      if (peer) {
        const given = req.headers["x-forwarded-for"];
        req.headers["x-forwarded-for"] = given ? `${Array.isArray(given) ? given.join(",") : given}, ${peer}` : peer;
      }
    }
    return (emit as (event: string | symbol, ...args: unknown[]) => boolean).call(this, event, ...args);
  } as typeof proto.emit;
}
