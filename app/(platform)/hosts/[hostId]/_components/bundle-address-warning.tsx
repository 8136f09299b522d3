import type { TBundleAddress } from "@/prisma-free-schema";
import { bundleAddressNeedsWarning } from "@/prisma-free-schema/vocabulary";

/**
 * Says when a bundle names an address its operator may not reach: a loopback one (it reaches only
 * the operator's own machine) or none set (PUBLIC_URL unset, so the bundle names whatever address
 * the admin's browser used), and how to set PUBLIC_URL. `downloaded`: about a bundle already in hand.
 */
export function BundleAddressWarning({ address, downloaded }: { address: TBundleAddress; downloaded: boolean }) {
  if (!bundleAddressNeedsWarning(address)) return null;
  const url = address.platformUrl;
  const subject = downloaded ? "This bundle tells" : "A bundle downloaded now tells";
  return (
    <div role="note" data-testid="bundle-address-warning" className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-semibold">
        <span aria-hidden="true">⚠ </span>
        {address.loopback ? "Operators elsewhere cannot reach this address" : "PUBLIC_URL is not set"}
      </p>
      <p className="mt-1">
        {url ? (
          <>
            {subject} the operator to dial <code className="break-all font-mono text-xs">{url}</code>
            {address.loopback
              ? ", a loopback address: it reaches only the machine the operator itself runs on, so an operator on any other machine or in a cluster cannot connect."
              : address.publicUrlSet
                ? "."
                : ", the address your browser used, because PUBLIC_URL is not set. If operators reach the platform at another address, they cannot connect."}
          </>
        ) : (
          "The platform does not know its own address, so no bundle can name one."
        )}
      </p>
      <p className="mt-2">
        Set <code className="font-mono text-xs">PUBLIC_URL</code> in the platform&apos;s environment to the address operators reach it at, such as{" "}
        <code className="font-mono text-xs">PUBLIC_URL=https://parrot.example.com</code>, restart the platform, then download a new bundle.
      </p>
    </div>
  );
}
