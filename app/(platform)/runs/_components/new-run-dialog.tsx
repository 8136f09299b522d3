"use client";

import { type FormEvent, useRef, useState } from "react";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { Alert } from "@/app/_components/alert";
import { fieldError } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { TextAreaField } from "../../_components/text-area-field";
import { useWorkspace } from "../../_components/workspace-context";
import { useWorkspaceProfiles } from "./use-workspace-profiles";
import { useStartRun } from "./use-start-run";

const FIELDS = ["profileId", "input"] as const;

/**
 * "New run" on the runs list: a dialog to pick one of the workspace's profiles and type the first
 * turn, then the run's page. The same procedure as a profile's "Start a run"; a profile that cannot
 * launch now is refused with the resolver's reason, shown here. A native modal <dialog> keeps
 * focus inside, closes on Escape and gives focus back to the button.
 */
export function NewRunDialog() {
  const workspace = useWorkspace();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  // Opened before the form mounts, so the form's autoFocus lands on the first turn; opened after,
  // showModal would move focus to the first control (the profile menu, once profiles are known).
  function openDialog() {
    if (!dialog.current?.open) dialog.current?.showModal();
    setOpen(true);
  }
  if (!hasScope(workspace.scopes, "runs.start")) return null;

  return (
    <>
      <button type="button" onClick={openDialog} aria-haspopup="dialog" className={`${ui.primaryButton} shrink-0 self-start whitespace-nowrap sm:self-auto`}>
        New run
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="new-run-heading"
        onClose={() => setOpen(false)}
        className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        {open ? <NewRunForm workspaceId={workspace.id} onCancel={() => dialog.current?.close()} /> : null}
      </dialog>
    </>
  );
}

function NewRunForm({ workspaceId, onCancel }: { workspaceId: string; onCancel: () => void }) {
  const profiles = useWorkspaceProfiles();
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const [input, setInput] = useState("");
  const profileId = picked ?? profiles.data?.find((profile) => profile.name === "Default")?.id ?? profiles.data?.[0]?.id ?? "";

  const { start, message, refused, busy } = useStartRun(workspaceId, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    start.mutate({ workspaceId, profileId, input });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4 p-5 sm:p-6">
      <div>
        <h2 id="new-run-heading" className="text-base font-semibold text-slate-900">
          New run
        </h2>
        <p className="mt-1 text-sm text-slate-600">Pick the profile its sandbox is made from and type the first turn. The run opens as it starts.</p>
      </div>
      <div>
        <label htmlFor="new-run-profile" className={ui.label}>
          Profile
        </label>
        <select
          id="new-run-profile"
          value={profileId}
          onChange={(event) => {
            setPicked(event.target.value);
            start.reset();
          }}
          disabled={!profiles.data?.length}
          aria-describedby={profiles.data?.length === 0 ? "new-run-no-profiles" : undefined}
          className={`${ui.input} mt-1.5`}
        >
          {profiles.isPending ? <option value="">Loading profiles…</option> : null}
          {(profiles.data ?? []).map((profile) => (
            <option key={profile.id} value={profile.id}>
              {profile.name}
            </option>
          ))}
        </select>
        {profiles.data?.length === 0 ? (
          <p id="new-run-no-profiles" className="mt-1.5 text-sm text-slate-500">
            This workspace has no profile yet: create one on the Profiles page first.
          </p>
        ) : null}
        {profiles.error ? <p className="mt-1.5 text-sm text-red-700">Could not load the profiles. Close and try again.</p> : null}
      </div>
      <TextAreaField
        id="new-run-input"
        label="First turn"
        rows={4}
        value={input}
        onChange={(event) => setInput(event.target.value)}
        error={fieldError(start.error, "input")}
        placeholder="What should the agent do?"
        autoFocus
      />
      {message ? (
        <Alert tone="error" title={refused ? "This profile cannot start a run right now" : undefined}>
          {message}
        </Alert>
      ) : null}
      <div className="flex flex-wrap justify-end gap-3">
        <button type="button" onClick={onCancel} className={ui.secondaryButton}>
          Cancel
        </button>
        <button type="submit" disabled={busy || !profileId} className={ui.primaryButton}>
          {busy ? "Starting run…" : "Start run"}
        </button>
      </div>
    </form>
  );
}
