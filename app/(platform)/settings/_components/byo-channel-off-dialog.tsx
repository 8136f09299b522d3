"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { button, ui } from "@/app/_lib/ui";

interface ByoChannelOffDialogProps {
  workspaceId: string;
  pending: boolean;
  /** Why the last attempt failed, shown inside the dialog (the page behind it is inert). */
  error: string | undefined;
  onConfirm: () => void;
  /** Closing by Cancel, Escape or the backdrop: nothing changes. */
  onCancel: () => void;
}

/**
 * Asks before turning the bring-your-own channel off, naming the hosts whose operators are
 * connected now: turning it off refuses key exchanges, so each loses its connection at its next
 * renewal (its channel token lasts about an hour) and cannot connect again until it is on. A native
 * modal <dialog>, so focus stays inside it and Escape cancels; focus starts on Cancel, the safe choice.
 */
export function ByoChannelOffDialog({ workspaceId, pending, error, onConfirm, onCancel }: ByoChannelOffDialogProps) {
  const trpc = useTRPC();
  const dialog = useRef<HTMLDialogElement>(null);
  // A workspace has few hosts; one page covers them (the list's own limit).
  const hosts = useQuery(trpc.hosts.list.queryOptions({ workspaceId, limit: 200 }));
  const connected = (hosts.data?.items ?? []).filter((host) => host.status === "registered");

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="byo-off-title"
      aria-describedby="byo-off-description"
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="p-5 sm:p-6">
        <h2 id="byo-off-title" className="text-base font-semibold">
          Turn off the bring-your-own channel?
        </h2>
        <div id="byo-off-description" className="mt-2 space-y-3 text-sm text-slate-700">
          {hosts.isPending ? (
            <p role="status">Checking which operators are connected…</p>
          ) : hosts.isError ? (
            <p>Could not check which operators are connected: every operator of this workspace will be cut off.</p>
          ) : connected.length === 0 ? (
            <p>No operator is connected right now. Operators that try to connect are refused until the channel is on again.</p>
          ) : (
            <>
              <p>
                {connected.length === 1 ? "This connected operator is cut off" : `These ${connected.length} connected operators are cut off`}: it
                can no longer exchange its install key, so it loses its connection when its current channel token runs out (within the hour) or at
                once if it reconnects. From then, new launches on its host are refused until the channel is back on; sandboxes already running there
                are left alone.
              </p>
              <ul aria-label="Operators that will be cut off" className="list-disc space-y-1 pl-5">
                {connected.map((host) => (
                  <li key={host.id} className="break-all font-mono text-sm">
                    {host.name}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>Admins cannot download operator bundles while it is off.</p>
        </div>
        {error ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <button type="button" autoFocus disabled={pending} onClick={onCancel} className={ui.secondaryButton}>
            Cancel
          </button>
          <button type="button" disabled={pending || hosts.isPending} onClick={onConfirm} className={button("danger")}>
            {pending ? "Turning off…" : connected.length > 0 ? `Turn off and cut off ${connected.length === 1 ? "this operator" : "these operators"}` : "Turn off the channel"}
          </button>
        </div>
      </div>
    </dialog>
  );
}
