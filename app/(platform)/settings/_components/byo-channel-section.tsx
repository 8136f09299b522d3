"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button, ui } from "@/app/_lib/ui";
import { DetailRow } from "../../_components/detail-row";
import { useLiveWorkspace } from "../../_components/use-live-workspace";
import { ByoChannelOffDialog } from "./byo-channel-off-dialog";

/**
 * The bring-your-own channel switch (seed: set up a BYO host): while it is on, operators may
 * exchange install keys and connect, and bundles are handed out. hosts.manage flips it; everyone
 * else reads its state.
 */
export function ByoChannelSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const workspace = useLiveWorkspace();
  const on = workspace.byoChannelConfigured;
  const canManage = hasScope(workspace.scopes, "hosts.manage");
  const toast = useToast();
  const [confirmingOff, setConfirmingOff] = useState(false);
  // The dialog closed (cancelled or done): focus goes back to the switch that opened it.
  const switchButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (!confirmingOff && wasConfirming.current) switchButton.current?.focus();
    wasConfirming.current = confirmingOff;
  }, [confirmingOff]);

  const toggle = useMutation(
    trpc.workspaces.setByoChannel.mutationOptions({
      onSuccess: ({ enabled }) => {
        setConfirmingOff(false);
        toast(enabled ? "Bring-your-own channel turned on" : "Bring-your-own channel turned off");
        queryClient.setQueryData(trpc.workspaces.get.queryKey({ workspaceId: workspace.id }), { ...workspace, byoChannelConfigured: enabled });
        // The layout rendered the workspace too; refresh it so every page agrees.
        startRefresh(() => router.refresh());
        return queryClient.invalidateQueries({ queryKey: trpc.workspaces.mine.queryKey() });
      },
    }),
  );
  // Turning it on needs the plan; turning it off never does.
  const canTurnOn = workspace.plan.byoHosts;

  return (
    <section aria-labelledby="byo-channel-heading" className={ui.card}>
      <div className="border-b border-slate-200 px-5 py-3.5">
        <h2 id="byo-channel-heading" className="text-base font-semibold text-slate-900">
          Bring-your-own channel
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Operators on your own Kubernetes clusters and Docker engines dial out to Disco Parrot over a managed messaging channel. Only while it is on may
          they exchange their install keys and connect, and may admins download operator bundles. Turning it off refuses new key exchanges at once.
        </p>
      </div>
      <dl className="divide-y divide-slate-100">
        <DetailRow term="State">
          <span className={`font-medium ${on ? "text-emerald-700" : "text-slate-700"}`}>{on ? "On" : "Off"}</span>
        </DetailRow>
      </dl>
      <div className="border-t border-slate-100 px-5 py-3.5">
        {!canManage ? (
          <p className="text-sm text-slate-600">Someone with the hosts.manage scope turns the channel on or off.</p>
        ) : on || canTurnOn ? (
          <button
            ref={switchButton}
            type="button"
            disabled={toggle.isPending || refreshing}
            onClick={() => (on ? setConfirmingOff(true) : toggle.mutate({ workspaceId: workspace.id, enabled: true }))}
            className={on ? button("dangerOutline") : ui.primaryButton}
          >
            {toggle.isPending && !confirmingOff ? "Saving…" : on ? "Turn off the bring-your-own channel" : "Turn on the bring-your-own channel"}
          </button>
        ) : (
          <p className="text-sm text-slate-600">Bring-your-own hosts are not included in this workspace&apos;s plan, so the channel cannot be turned on.</p>
        )}
        {confirmingOff ? (
          <ByoChannelOffDialog
            workspaceId={workspace.id}
            pending={toggle.isPending}
            error={toggle.error ? errorMessage(toggle.error) : undefined}
            onConfirm={() => toggle.mutate({ workspaceId: workspace.id, enabled: false })}
            onCancel={() => {
              toggle.reset();
              setConfirmingOff(false);
            }}
          />
        ) : null}
        {toggle.error && !confirmingOff ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {errorMessage(toggle.error)}
          </p>
        ) : null}
      </div>
    </section>
  );
}
