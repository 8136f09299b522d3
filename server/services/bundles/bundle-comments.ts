import { isLoopbackUrl } from "@/prisma-free-schema";
import { OPERATOR_TOKEN_MINUTES } from "../keys/exchange-install-key";

/**
 * What a bundle's comments say about its install key, in one place so the Compose file, its env
 * file and the Kubernetes manifest say the same true thing (seed: network and connectivity): the
 * key is not spent by its first use. The operator trades it for a channel token that lasts about
 * an hour and trades it again before each runs out; the next bundle downloaded for the host
 * retires it.
 */
export function installKeyLifetimeLines(): string[] {
  const lifetime = OPERATOR_TOKEN_MINUTES === 60 ? "about an hour" : `about ${OPERATOR_TOKEN_MINUTES} minutes`;
  return [
    ` The operator exchanges the install key with the platform for a short-lived channel token, which`,
    ` lasts ${lifetime}, and exchanges it again before each token runs out, so the key is used for as`,
    " long as the operator runs. Downloading a new bundle for this host retires this key at once: an",
    " operator still holding it is disconnected and cannot connect again until it gets the new bundle.",
  ];
}

/** A warning for a bundle naming an address no other machine can reach (see platform-address.ts), or none. */
export function platformAddressLines(platformUrl: string): string[] {
  if (!isLoopbackUrl(platformUrl)) return [];
  return [
    ` WARNING: this bundle tells the operator to dial ${platformUrl}, a loopback address: it reaches`,
    " only the machine the operator itself runs on. Unless the platform runs there too, set PUBLIC_URL",
    " on the platform to the address operators reach it at (https://parrot.example.com), restart it,",
    " and download a new bundle.",
  ];
}

/** Comment lines as an env file writes them (`#` first); the YAML files take them without it. */
export function asHashComments(lines: readonly string[]): string[] {
  return lines.map((line) => `#${line}`);
}
