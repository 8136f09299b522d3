import type { TBundleAddress } from "../platform-address";

/** True for a host name that only reaches the machine it is resolved on. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  // 0.0.0.0 and :: are "any address" to a server, and this machine to a client: no better from elsewhere.
  if (name === "0.0.0.0" || name === "::" || name === "::1") return true;
  if (/^127(\.\d{1,3}){3}$/.test(name)) return true;
  // IPv4-mapped IPv6, as WHATWG URL writes it: ::ffff:7f00:1 is 127.0.0.1.
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(name);
  if (mapped) return (Number.parseInt(mapped[1]!, 16) >> 8) === 127;
  return /^::ffff:127(\.\d{1,3}){3}$/.test(name);
}

/** True when `url` is absolute and names a loopback host; false for anything else, including no URL. */
export function isLoopbackUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The address bundles name now, from the configured PUBLIC_URL and the request's origin. */
export function bundleAddressOf(publicUrl: string | undefined, origin: string | undefined): TBundleAddress {
  const platformUrl = publicUrl ?? origin ?? null;
  return { platformUrl, publicUrlSet: publicUrl !== undefined, loopback: isLoopbackUrl(platformUrl) };
}

/** True when a bundle naming this address may leave its operator unable to dial the platform. */
export function bundleAddressNeedsWarning(address: TBundleAddress): boolean {
  return address.loopback || !address.publicUrlSet || address.platformUrl === null;
}
