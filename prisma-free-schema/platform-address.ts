import { z } from "zod";

/**
 * Where an operator bundle tells the operator to dial (PUBLIC_URL, else the address the admin
 * reached the platform at), and whether that is an address an operator on another machine can
 * reach. A loopback address (127.0.0.1, localhost, ::1) only ever reaches the machine the operator
 * itself runs on; an unset PUBLIC_URL means the bundle names whatever the admin's browser used.
 */
export const ZBundleAddress = z.object({
  /** The address bundles downloaded now name, or null when there is none (no PUBLIC_URL and no usable Host header). */
  platformUrl: z.string().nullable(),
  publicUrlSet: z.boolean(),
  loopback: z.boolean(),
});
export type TBundleAddress = z.infer<typeof ZBundleAddress>;

export { bundleAddressNeedsWarning, bundleAddressOf, isLoopbackHostname, isLoopbackUrl } from "./vocabulary/platform-address";
