"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { TMemberView, TScope } from "@/prisma-free-schema";
import { hasScope, SCOPES } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { errorCode, fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { ScopeCheckboxes } from "../../../_components/scope-checkboxes";
import { useWorkspace } from "../../../_components/workspace-context";

interface EditScopesFormProps {
  member: TMemberView;
  onClose: () => void;
  /** Refetches the list; the row remounts this form with the fresh scopes and etag. */
  onReload: () => void;
  reloading: boolean;
}

export function EditScopesForm({ member, onClose, onReload, reloading }: EditScopesFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const [scopes, setScopes] = useState<TScope[]>(member.scopes);
  const form = useRef<HTMLFormElement>(null);
  // Opened from the row's button: the first scope one can change takes focus, so keyboard users land in the editor.
  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>("input[type=checkbox]:not(:disabled)")?.focus();
  }, []);
  // Scopes the editor lacks stay visible (and as they are) rather than silently disappearing.
  const options = SCOPES.filter((scope) => hasScope(workspace.scopes, scope) || member.scopes.includes(scope));
  const locked = options.filter((scope) => !hasScope(workspace.scopes, scope));

  const save = useMutation(
    trpc.members.updateScopes.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
        toast(`Scopes of ${member.email} changed`);
        onClose();
      },
    }),
  );
  const conflict = errorCode(save.error) === "CONFLICT";
  const scopesError = fieldError(save.error, "scopes");
  const message = formMessage(save.error, ["scopes"]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ workspaceId: workspace.id, memberId: member.id, scopes, etag: member.etag });
  }

  function closeOnEscape(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape" && !save.isPending) onClose();
  }

  return (
    <form ref={form} onSubmit={submit} onKeyDown={closeOnEscape} noValidate aria-label={`Edit scopes for ${member.email}`} className="space-y-4">
      <ScopeCheckboxes legend={`Scopes for ${member.email}`} options={options} value={scopes} onChange={setScopes} locked={locked} error={scopesError} />
      {message ? (
        <div role="alert" className="flex flex-col gap-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 sm:flex-row sm:items-center sm:justify-between">
          <p>{message}</p>
          {conflict ? (
            <button type="button" onClick={onReload} disabled={reloading} className={ui.secondaryButton}>
              {reloading ? "Reloading…" : "Reload"}
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" disabled={save.isPending} className={ui.primaryButton}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={onClose} disabled={save.isPending} className={ui.secondaryButton}>
          Cancel
        </button>
      </div>
    </form>
  );
}
