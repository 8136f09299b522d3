"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useState } from "react";
import type { TRunDetail } from "@/prisma-free-schema";
import { turnRunning } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { TextAreaField } from "../../../_components/text-area-field";

const FIELDS = ["input"] as const;

/** For the run's starter, under the log: the next turn's input; Ctrl+Enter (⌘+Enter) sends it. */
export function NextTurnForm({ run }: { run: TRunDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [input, setInput] = useState("");
  const runKey = trpc.runs.get.queryKey({ workspaceId: run.workspaceId, runId: run.id });

  const send = useMutation(
    trpc.runs.sendTurn.mutationOptions({
      onSuccess: async (updated) => {
        setInput("");
        queryClient.setQueryData(runKey, updated);
        await queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
      },
    }),
  );

  // The server's own rule: one turn at a time.
  const busy = turnRunning(run);
  const message = formMessage(send.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || send.isPending) return;
    send.mutate({ workspaceId: run.workspaceId, runId: run.id, input });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  }

  return (
    <section aria-labelledby="continue-heading" className={`${ui.card} p-4`}>
      <h2 id="continue-heading" className="sr-only">
        Continue this run
      </h2>
      <form onSubmit={submit} noValidate className="space-y-3">
        <TextAreaField
          id="next-turn"
          label="Next turn"
          rows={3}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onKeyDown}
          error={fieldError(send.error, "input")}
          hint={busy ? undefined : "The agent picks up in the same sandbox, with the files the earlier turns left. Ctrl+Enter (⌘+Enter) sends."}
          describedBy={busy ? "next-turn-busy" : undefined}
          placeholder="What should the agent do next?"
        />
        {busy ? (
          <p id="next-turn-busy" className="text-sm text-slate-600">
            A turn is running. You can send the next one when it ends, or cancel it.
          </p>
        ) : null}
        {message ? <Alert tone="error">{message}</Alert> : null}
        <button type="submit" disabled={busy || send.isPending} aria-describedby={busy ? "next-turn-busy" : undefined} className={ui.primaryButton}>
          {send.isPending ? "Sending turn…" : "Send turn"}
        </button>
      </form>
    </section>
  );
}
