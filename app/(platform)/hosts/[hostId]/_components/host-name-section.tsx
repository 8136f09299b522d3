"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { THostView } from "@/prisma-free-schema";
import { ZHostName } from "@/prisma-free-schema/host";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage, isStaleConflict } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { FormErrorAlert } from "../../../_components/form-error-alert";
import { useWorkspace } from "../../../_components/workspace-context";

const HINT = "Lowercase letters, digits and dashes. A running operator keeps working after a rename.";

/**
 * The host's name with an inline editor: opening it moves focus into the field, closing it (saved
 * or cancelled) moves focus back to the Rename button, and a rename is confirmed with a toast.
 */
export function HostNameSection({ host, canManage, onReload, reloading }: { host: THostView; canManage: boolean; onReload: () => void; reloading: boolean }) {
  const [editing, setEditing] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  // Focus returns to the button only after the editor was open, not on the first render.
  const wasEditing = useRef(false);
  useEffect(() => {
    if (!editing && wasEditing.current) renameButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  return (
    <section aria-labelledby="host-name-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="host-name-heading" className="text-base font-semibold text-slate-900">
        Name
      </h2>
      {editing ? (
        <RenameForm key={host.revision} host={host} onClose={() => setEditing(false)} onReload={onReload} reloading={reloading} />
      ) : (
        <div className="mt-2 flex flex-wrap items-center justify-between gap-3">
          <p className="break-all font-mono text-sm text-slate-900">{host.name}</p>
          {canManage && host.kind === "kubernetes" ? (
            <p className="text-sm text-slate-600">Names its namespace, so it stays.</p>
          ) : canManage ? (
            <button ref={renameButton} type="button" onClick={() => setEditing(true)} className={ui.secondaryButton}>
              Rename
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}

function RenameForm({ host, onClose, onReload, reloading }: { host: THostView; onClose: () => void; onReload: () => void; reloading: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const [name, setName] = useState(host.name);
  const [localError, setLocalError] = useState<string>();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const input = form.current?.querySelector<HTMLInputElement>("#host-name");
    input?.focus();
    input?.select();
  }, []);

  const rename = useMutation(
    trpc.hosts.update.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(trpc.hosts.get.queryKey({ workspaceId: workspace.id, hostId: updated.id }), updated);
        toast(`Host renamed to ${updated.name}`);
        onClose();
        // Lists and profile forms show host names.
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.hosts.list.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.profiles.resolve.pathKey() })]);
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = ZHostName.safeParse(name);
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message);
      return;
    }
    setLocalError(undefined);
    if (parsed.data === host.name) return onClose();
    rename.mutate({
      workspaceId: workspace.id,
      hostId: host.id,
      revision: host.revision,
      changes: { name: parsed.data, runtimeFamilies: host.runtimeFamilies, workloadIdentity: host.workloadIdentity },
    });
  }

  return (
    <form
      ref={form}
      onSubmit={submit}
      noValidate
      aria-label="Rename host"
      className="mt-3 space-y-3"
      onKeyDown={(event) => {
        if (event.key === "Escape" && !rename.isPending) onClose();
      }}
    >
      <TextField
        id="host-name"
        label="Host name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        spellCheck={false}
        autoComplete="off"
        error={localError ?? fieldError(rename.error, "name")}
        hint={HINT}
      />
      <FormErrorAlert message={formMessage(rename.error, ["name"])} stale={isStaleConflict(rename.error)} onReload={onReload} reloading={reloading} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={rename.isPending} className={ui.primaryButton}>
          {rename.isPending ? "Renaming…" : "Save name"}
        </button>
        <button type="button" disabled={rename.isPending} onClick={onClose} className={ui.secondaryButton}>
          Cancel
        </button>
      </div>
    </form>
  );
}
