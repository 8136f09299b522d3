"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type TRunDetail, turnRunning } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { button, ui } from "@/app/_lib/ui";
import { TextAreaField } from "../../../_components/text-area-field";

const FIELDS = ["input"] as const;

/** For the run's starter: the next turn's input, and "Cancel turn" while one runs. */
export function NextTurnForm({ run }: { run: TRunDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [input, setInput] = useState("");
  const runKey = trpc.runs.get.queryKey({ workspaceId: run.workspaceId, runId: run.id });
  const settle = async (updated: TRunDetail) => {
    queryClient.setQueryData(runKey, updated);
    await queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
  };

  const send = useMutation(
    trpc.runs.sendTurn.mutationOptions({
      onSuccess: async (updated) => {
        setInput("");
        await settle(updated);
      },
    }),
  );
  const cancel = useMutation(trpc.runs.cancelTurn.mutationOptions({ onSuccess: settle }));
  const end = useMutation(trpc.runs.end.mutationOptions({ onSuccess: settle }));

  // The server's own rule: one turn at a time.
  const busy = turnRunning(run);
  const message = formMessage(send.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    cancel.reset();
    send.mutate({ workspaceId: run.workspaceId, runId: run.id, input });
  }

  return (
    <section aria-labelledby="continue-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="continue-heading" className="text-base font-semibold text-slate-900">
        Continue this run
      </h2>
      <p className="mt-1 text-sm text-slate-600">The agent picks up in the same sandbox, with the files the earlier turns left.</p>
      <form onSubmit={submit} noValidate className="mt-5 space-y-4">
        <TextAreaField
          id="next-turn"
          label="Next turn"
          rows={4}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          error={fieldError(send.error, "input")}
          describedBy={busy ? "next-turn-busy" : undefined}
          placeholder="What should the agent do next?"
        />
        {busy ? (
          <p id="next-turn-busy" className="text-sm text-slate-600">
            A turn is running. You can send the next one when it ends, or cancel it.
          </p>
        ) : null}
        {message ? <Alert tone="error">{message}</Alert> : null}
        {cancel.error ? <Alert tone="error">{formMessage(cancel.error, [])}</Alert> : null}
        {end.error ? <Alert tone="error">{formMessage(end.error, [])}</Alert> : null}
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={busy || send.isPending} aria-describedby={busy ? "next-turn-busy" : undefined} className={ui.primaryButton}>
            {send.isPending ? "Sending turn…" : "Send turn"}
          </button>
          {busy ? (
            <button
              type="button"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate({ workspaceId: run.workspaceId, runId: run.id })}
              className={button("dangerOutline")}
            >
              {cancel.isPending ? "Cancelling turn…" : "Cancel turn"}
            </button>
          ) : null}
          <button
            type="button"
            disabled={end.isPending}
            onClick={() => {
              if (window.confirm("End this run? It takes no more turns, and its sandbox is removed.")) end.mutate({ workspaceId: run.workspaceId, runId: run.id });
            }}
            className={`${button("dangerOutline")} sm:ml-auto`}
          >
            {end.isPending ? "Ending run…" : "End run"}
          </button>
        </div>
      </form>
    </section>
  );
}
