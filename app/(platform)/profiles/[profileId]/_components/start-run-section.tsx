"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { errorCode, fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { TextAreaField } from "../../../_components/text-area-field";

const FIELDS = ["input"] as const;

/** Starts a run on this profile with its first turn, then opens the run to watch it. */
export function StartRunSection({ workspaceId, profileId }: { workspaceId: string; profileId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [input, setInput] = useState("");

  const start = useMutation(
    trpc.runs.start.mutationOptions({
      onSuccess: async (run) => {
        // The run page opens with what the server just returned, then follows its events.
        queryClient.setQueryData(trpc.runs.get.queryKey({ workspaceId, runId: run.id }), run);
        router.push(`/runs/${run.id}`);
        await queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
      },
    }),
  );
  const message = formMessage(start.error, FIELDS);
  // The resolver's refusal says what to fix (a host to register, a default Docker host to pick).
  const refused = errorCode(start.error) === "PRECONDITION_FAILED";
  // Stays busy after success too, while the run page loads.
  const busy = start.isPending || start.isSuccess;

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
