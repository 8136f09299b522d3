"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { THostView, TOperatorBundle } from "@/prisma-free-schema";
import { isLoopbackUrl } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button, ui } from "@/app/_lib/ui";
import { useLiveWorkspace } from "../../../_components/use-live-workspace";
import { BundleAddressWarning } from "./bundle-address-warning";
import { OperatorBundleFiles } from "./operator-bundle-files";

const BLOCKED_ID = "operator-bundle-blocked";

/**
 * "Download operator bundle", for hosts.manage. Held back (seed: set up a BYO host) until the
 * workspace's bring-your-own channel is on; asks first when a key exists, since a new bundle
 * retires it. The issued bundle lives only in this component's state, so leaving the page drops it.
 */
export function OperatorBundleDownload({ host }: { host: THostView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useLiveWorkspace();
  const toast = useToast();
  // Where a bundle downloaded now would tell the operator to dial: warned about before the download, not only after.
  const address = useQuery(trpc.hosts.bundleAddress.queryOptions({ workspaceId: workspace.id }));
  const [confirming, setConfirming] = useState(false);
  // Kept apart from the mutation, which forgets its data when the next attempt starts: a failed
  // re-download leaves the previous key in force, so its files stay on offer.
  const [bundle, setBundle] = useState<TOperatorBundle>();
  const download = useMutation(
    trpc.hosts.downloadOperatorBundle.mutationOptions({
      onSuccess: (issued) => {
        setBundle(issued);
        setConfirming(false);
        toast(host.installKeyFingerprint ? "New operator bundle ready: the previous install key is retired" : "Operator bundle ready: save its files below");
        // The host now shows the new key's fingerprint.
        return queryClient.invalidateQueries({ queryKey: trpc.hosts.get.queryKey({ workspaceId: workspace.id, hostId: host.id }) });
      },
    }),
  );
  const issue = () => download.mutate({ workspaceId: workspace.id, hostId: host.id });

  const blocked = !workspace.plan.byoHosts ? (
    "Bring-your-own hosts are not included in this workspace's plan, so no operator bundle can be issued."
  ) : !workspace.byoChannelConfigured ? (
    <>
      An admin must turn on the bring-your-own channel in{" "}
      <Link href="/settings" className={ui.link}>
        Settings → General
      </Link>{" "}
      before an operator bundle can be downloaded: until then no operator can connect.
    </>
  ) : null;

  return (
    <div className="mt-4">
      {confirming && host.installKeyFingerprint ? (
        <div role="group" aria-labelledby="rekey-question" className="space-y-3 rounded-md border border-amber-200 bg-amber-50 px-4 py-3">
          <p id="rekey-question" className="text-sm font-medium text-amber-900">
            Download a new bundle? It issues a new install key and retires the current one (
            <code className="font-mono text-xs">{host.installKeyFingerprint}</code>) at once: the operator running with it must be restarted with the new
            bundle, or it cannot connect again.
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" disabled={download.isPending} onClick={issue} className={button("danger")}>
              {download.isPending ? "Issuing a new key…" : "Yes, retire the current key"}
            </button>
            {/* The trigger is gone; focus lands on the safe choice, so a second Enter does not retire the key. */}
            <button type="button" autoFocus disabled={download.isPending} onClick={() => setConfirming(false)} className={ui.secondaryButton}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
          <button
            type="button"
            disabled={blocked !== null || download.isPending}
            aria-describedby={blocked ? BLOCKED_ID : undefined}
            onClick={() => (host.installKeyFingerprint ? setConfirming(true) : issue())}
            className={`${ui.primaryButton} shrink-0 self-start`}
          >
            {download.isPending ? "Preparing the bundle…" : "Download operator bundle"}
          </button>
          {blocked ? (
            <p id={BLOCKED_ID} className="text-sm text-slate-700">
              {blocked}
            </p>
          ) : null}
        </div>
      )}
      {download.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {errorMessage(download.error)}
        </p>
      ) : null}
      {bundle ? (
        <OperatorBundleFiles
          key={bundle.fingerprint}
          bundle={bundle}
          warning={
            address.data ? (
              <BundleAddressWarning address={{ ...address.data, platformUrl: bundle.platformUrl, loopback: isLoopbackUrl(bundle.platformUrl) }} downloaded />
            ) : null
          }
        />
      ) : address.data ? (
        <BundleAddressWarning address={address.data} downloaded={false} />
      ) : null}
    </div>
  );
}
