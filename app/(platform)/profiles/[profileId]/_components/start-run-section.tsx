"use client";

import { type FormEvent, useState } from "react";
import { Alert } from "@/app/_components/alert";
import { fieldError } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { TextAreaField } from "../../../_components/text-area-field";
import { useStartRun } from "../../../runs/_components/use-start-run";

const FIELDS = ["input"] as const;

/** Starts a run on this profile with its first turn, then opens the run to watch it. */
export function StartRunSection({ workspaceId, profileId }: { workspaceId: string; profileId: string }) {
  const [input, setInput] = useState("");

  const { start, message, refused, busy } = useStartRun(workspaceId, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    start.mutate({ workspaceId, profileId, input });
  }

  return (
    <section aria-labelledby="start-run-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="start-run-heading" className="text-base font-semibold text-slate-900">
        Start a run
      </h2>
      <p className="mt-1 text-sm text-slate-600">A sandbox is prepared from this profile and the agent starts on your first turn. You can send more turns from the run&apos;s page.</p>
      <form onSubmit={submit} noValidate className="mt-5 space-y-4">
        <TextAreaField
          id="first-turn"
          label="First turn"
          rows={4}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          error={fieldError(start.error, "input")}
          placeholder="What should the agent do?"
        />
        {message ? (
          <Alert tone="error" title={refused ? "This profile cannot start a run right now" : undefined}>
            {message}
          </Alert>
        ) : null}
        <button type="submit" disabled={busy} className={ui.primaryButton}>
          {busy ? "Starting run…" : "Start run"}
        </button>
      </form>
    </section>
  );
}
